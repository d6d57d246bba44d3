"""The public quick scan a vendor puts on their website, its settings, and converting a scan into a full assessment."""
