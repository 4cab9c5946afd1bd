"""Programs (研修班项目): curriculum modules, assessment rules, eligibility rules, teachers."""
