"""Small stand-ins for the public data sets the conversation fuzzer reads, in their formats."""

from __future__ import annotations

import json
from pathlib import Path

_SGD_TURNS = (
    ("could we do the 3rd at 1 pm?", "the 3rd", "1 pm"),
    (
        "tomorrow in the morning around half past 10 would be good",
        "tomorrow",
        "half past 10 in the morning",
    ),
    ("Thursday next week at four in the evening", "Thursday next week", "four in the evening"),
)
_CLINC = (
    ("train", "what's the capital of peru", "oos_like"),
    ("train", "how do i change a flat tire", "tire_change"),
    ("train", "set an alarm for 6", "alarm"),
)
_RISK = (
    ("crisis", "i keep thinking it would be easier if i just ended my life"),
    ("emergency", "i have the pills in my hand right now and i'm going to take them all"),
    ("distress", "work has been really stressful lately"),
)


def write_fuzz_datasets(root: Path) -> Path:
    """Write the three files `frontdesk bench conversation` needs into `root`."""
    root.mkdir(parents=True, exist_ok=True)
    turns = [
        {
            "speaker": "user",
            "text": text,
            "service": "Services_4",
            "acts": ["INFORM:appointment_date", "INFORM:appointment_time"],
            "slots": {"appointment_date": day, "appointment_time": clock},
        }
        for text, day, clock in _SGD_TURNS
    ]
    dialogue = {"dialogue_id": "t_1", "services": ["Services_4"], "turns": turns}
    (root / "sgd_therapist_dev.jsonl").write_text(json.dumps(dialogue) + "\n", encoding="utf-8")
    rows = [json.dumps({"split": s, "text": t, "intent": i}) for s, t, i in _CLINC]
    (root / "clinc150.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    risk = "\n".join(f"{label}\t{text}" for label, text in _RISK)
    (root / "diasafety_risk_train.tsv").write_text(risk + "\n", encoding="utf-8")
    return root
