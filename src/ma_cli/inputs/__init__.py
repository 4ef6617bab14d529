"""Reading people and rosters: profiles, roster columns and rows, CE logs, workbooks and the safe YAML reader."""
