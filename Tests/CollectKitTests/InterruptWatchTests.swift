import Foundation
import Platform
import Testing

// Reads a signal's disposition with sigaction: a Linux test.
#if os(Linux)

/// Several `InterruptWatch`es at once (the collector's, and a caller's around it).
@Suite struct InterruptWatchTests {
    /// SIGHUP's current action as a number (`SIG_DFL` is 0, `SIG_IGN` 1; libdispatch may put
    /// its own handler there, which hands the signal on to the sources left).
    static func hangUpAction() -> Int {
        var action = sigaction()
        sigaction(SIGHUP, nil, &action)
        return unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
    }

    @Test("releasing one watch leaves a signal another watch still watches suspended, not back at its default (which would end the process)")
    func releaseLeavesOthers() {
        // Only what holds whatever other tests running alongside do with their watches: while
        // `second` is alive, SIGHUP's default action (ending the process) must stay off.
        let byDefault = unsafeBitCast(SIG_DFL, to: Int.self)
        let first = InterruptWatch([.hangUp]) { _ in }
        let second = InterruptWatch([.hangUp]) { _ in }
        #expect(Self.hangUpAction() != byDefault)
        first.release()
        #expect(Self.hangUpAction() != byDefault)
        first.release()  // a second release changes nothing
        #expect(Self.hangUpAction() != byDefault)
        second.release()
    }
}
#endif
