"""What every implementation record shares: who sees and changes records, one transaction per
change, the small workflows of reports, side letters and addenda, and the pages' layout."""
