"""Every implementation record's shared parts: who sees and changes records, the one
transaction they change in, the small workflows of reports, side letters and addenda, pages."""
