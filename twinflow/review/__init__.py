"""The Twinning Review Mission after closure: an optional record workflow
(workflows/records/review_mission.yaml), due within a window after the implementation end."""
