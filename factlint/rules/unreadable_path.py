"""A note or folder that the system would not let factlint read, so the run is incomplete.

## What it does
Reports every file the gate was to check whose bytes could not be read (permission denied, an
I/O error) and every folder under the checked paths that could not be listed, each as an error
at the path itself. The other notes are still checked and reported; the run then exits 4
(incomplete), whatever `--fail-on` says, since the notes behind it were never looked at.

## Why is this bad?
A gate that skips what it cannot read says "Checked 0 files" and passes: an unreadable folder
of wrong figures would go out unchecked. Stopping the whole run instead (as a missing path
does) would leave every readable note unchecked too.

## Example
`notes/2026/` is mode 000 (or owned by another user), so `factlint check notes/` cannot list
it: `cannot read folder notes/2026: permission denied; the run is incomplete (no note in it
was checked)`.

Use instead:
`chmod -R u+rX notes/` (or run the gate as a user who can read the notes), then check again.

## Fix
None automatic: give the gate's user read access (files) or read and search access (folders),
or leave the path out of the checked paths on purpose.
"""
from __future__ import annotations

from factlint.findings import Severity
from factlint.rules import declared

declared("unreadable-path", severity=Severity.ERROR, made_by="factlint.gate (unreadable_findings)",
         module=__name__, tags=())
