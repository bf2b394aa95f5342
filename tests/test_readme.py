"""The README stands alone in a clone: whatever it points to is inside the repository."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_readme_links_stay_inside_the_repository():
    targets = re.findall(r"\]\(([^)\s]+)\)", README)
    outside, missing = [], []
    for target in targets:
        if re.match(r"[a-z]+://|mailto:|#", target):
            continue
        path = (ROOT / target.split("#")[0]).resolve()
        if not path.is_relative_to(ROOT):
            outside.append(target)
        elif not path.exists():
            missing.append(target)
    assert not outside, f"README points outside the repository: {outside}"
    assert not missing, f"README points to files that do not exist: {missing}"
    assert "../" not in README


def test_readme_says_how_to_change_the_port():
    assert "make run PORT=" in README
