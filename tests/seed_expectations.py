"""What the issues say the user's agenda must give, in one place for every test that checks it."""

# The seven blocks of 22 July 2020 in UTC (16:00 Central European summer time = 14:00 UTC).
SEED_UTC = [
    ("14:00", "14:08"),
    ("14:08", "14:15"),
    ("14:15", "14:50"),
    ("14:50", "15:00"),
    ("15:00", "15:30"),
    ("15:30", "15:55"),
    ("15:55", "16:00"),
]
