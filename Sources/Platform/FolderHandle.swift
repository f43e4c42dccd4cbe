import Foundation
#if os(Windows)
import ucrt
import WinSDK
#endif

/// A folder opened once, by descriptor, under which files are opened one path component at a
/// time (`openat` with `O_NOFOLLOW`), so that no link swapped in after a listing is followed
/// and no path is resolved twice: a process that replaces a listed file (or a folder on its
/// way) by a link between listing and reading gets the read refused, never redirected.
///
/// `Sendable`: the descriptor is opened in `init`, never changed, and closed in `deinit`.
public final class FolderHandle: Sendable, Equatable {
    /// The folder's path, with links resolved, as it was opened.
    public let path: String
    #if !os(Windows)
    private let descriptor: Int32
    #endif

    /// Opens the folder `path` (a link to a folder is followed here, once: the root is the
    /// user's choice).
    public init(path: String) throws(SystemError) {
        self.path = path
        #if !os(Windows)
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemError.last() }
        self.descriptor = descriptor
        #endif
    }

    deinit {
        #if !os(Windows)
        close(descriptor)
        #endif
    }

    public static func == (left: FolderHandle, right: FolderHandle) -> Bool { left === right }

    /// The path of `absolute` below this folder, `/`-separated; nil when it is not below it.
    public func relativePath(of absolute: String) -> String? {
        #if os(Windows)
        // Either separator there, in this folder's path and in `absolute`.
        let (folder, target) = (path.replacing("\\", with: "/"), absolute.replacing("\\", with: "/"))
        #else
        let (folder, target) = (path, absolute)
        #endif
        let base = folder.hasSuffix("/") ? folder : folder + "/"
        guard target.hasPrefix(base) else { return nil }
        return String(target.dropFirst(base.count))
    }

    /// Opens the regular file at `relative` below this folder for reading.
    ///
    /// Every folder on the way is opened with `O_NOFOLLOW | O_DIRECTORY` from its parent's
    /// descriptor, the file with `O_NOFOLLOW | O_NONBLOCK` (a FIFO never blocks the open), and
    /// `fstat` on the opened descriptor must say it is a regular file. A link anywhere on the
    /// way, `..`, a FIFO or a device is refused with a message saying so.
    public func openFile(_ relative: String) throws(SystemError) -> ReadOnlyFile {
        let parts = relative.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !parts.isEmpty, !parts.contains(".."), !parts.contains(".") else {
            throw SystemError(code: EINVAL, message: "not a plain path below the root")
        }
        #if os(Windows)
        // No `openat` here: each folder on the way is checked not to be a link (a symbolic link
        // or a junction) before the next is looked at, and the file is opened as itself, never
        // through a link, and must be a regular file. A folder swapped for a link between its
        // check and the open is not caught (docs/windows.md).
        var walked = path
        for folder in parts.dropLast() {
            walked += "\\" + folder
            if FileSystem.info(orNilAt: walked, followingLinks: false)?.kind == .symbolicLink { throw Self.linkRefused(ELOOP) }
        }
        walked += "\\" + parts[parts.count - 1]
        let file = ReadOnlyFile(handle: try Win32.open(walked, access: DWORD(GENERIC_READ), followingLinks: false), path: walked)
        switch try Win32.info(file.handle).kind {
        case .regular: return file
        case .symbolicLink: throw Self.linkRefused(ELOOP)
        default: throw Self.notRegular
        }
        #else
        var current = descriptor
        var owned: Int32 = -1  // the folder descriptor this walk opened (never the root's)
        defer { if owned >= 0 { close(owned) } }
        for folder in parts.dropLast() {
            let next = openat(current, folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard next >= 0 else { throw Self.refusal(errno, folder: true) }
            if owned >= 0 { close(owned) }
            owned = next
            current = next
        }
        let file = openat(current, parts[parts.count - 1], O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard file >= 0 else { throw Self.refusal(errno, folder: false) }
        var status = stat()
        guard fstat(file, &status) == 0 else {
            let error = SystemError.last()
            close(file)
            throw error
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            close(file)
            throw Self.notRegular
        }
        _ = fcntl(file, F_SETFL, fcntl(file, F_GETFL) & ~O_NONBLOCK)
        return ReadOnlyFile(descriptor: file)
        #endif
    }

    /// A link met on the way to a file, refused.
    private static func linkRefused(_ code: Int32) -> SystemError {
        SystemError(code: code, message: "a link (swapped in after the folder was listed); not followed")
    }

    /// A file that is not a regular one by the time it is opened.
    private static let notRegular =
        SystemError(code: EINVAL, message: "not a regular file (it changed after the folder was listed); not read")

    #if !os(Windows)
    /// `ELOOP` (and `ENOTDIR` for a folder) is what `O_NOFOLLOW` answers for a link.
    private static func refusal(_ code: Int32, folder: Bool) -> SystemError {
        if code == ELOOP || (folder && code == ENOTDIR) { return linkRefused(code) }
        return SystemError(code: code, message: SystemError.text(code))
    }
    #endif
}
