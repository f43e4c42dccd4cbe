// CollectKit — charter to be written with the module.
