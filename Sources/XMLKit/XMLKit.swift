// XMLKit — charter to be written with the module.
