#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that po/POTFILES.in lists every file with translatable strings.

A file has translatable strings when it is
  - a C source or header under src/ that calls _(), N_(), C_(), NC_() or
    ngettext()/g_dngettext() (comments and string literals are ignored),
  - a GtkBuilder file under ui/ with translatable="yes",
  - the desktop file, the AppStream metainfo or the GSettings schema under data/.
Fails, naming them, when such a file is missing from POTFILES.in, and when
POTFILES.in names a file that does not exist.

Usage: check-potfiles.py [SOURCE_ROOT]
"""

import os
import re
import sys

C_CALL = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|ngettext|g_dngettext|g_dpgettext2)\s*\(')
# Comments, and string or character literals (which may contain anything).
C_NOISE = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)
UI_TRANSLATABLE = re.compile(r'translatable\s*=\s*["\'](?:yes|true|1)["\']', re.I)
DATA_SUFFIXES = ('.desktop.in', '.desktop.in.in', '.metainfo.xml.in', '.metainfo.xml.in.in',
                 '.appdata.xml.in', '.gschema.xml')


def code_without_noise(text):
    def blank(match):
        s = match.group(0)
        # Keep the string's quotes but not its content: "…" → "".
        if s.startswith('"'):
            return '""'
        if s.startswith("'"):
            return "''"
        return ' '
    return C_NOISE.sub(blank, text)


def files_under(root, top, suffixes):
    base = os.path.join(root, top)
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith('.'))
        for name in sorted(filenames):
            if name.endswith(suffixes):
                yield os.path.relpath(os.path.join(dirpath, name), root)


def needs_translation(root, rel):
    path = os.path.join(root, rel)
    with open(path, encoding='utf-8', errors='replace') as f:
        text = f.read()
    if rel.endswith(('.c', '.h')):
        return C_CALL.search(code_without_noise(text)) is not None
    if rel.endswith('.ui'):
        return UI_TRANSLATABLE.search(text) is not None
    return True


def listed_files(potfiles):
    listed = []
    with open(potfiles, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                listed.append(line)
    return listed


def main(argv):
    root = os.path.abspath(argv[1] if len(argv) > 1 else
                           os.path.join(os.path.dirname(__file__), '..'))
    potfiles = os.path.join(root, 'po', 'POTFILES.in')
    listed = listed_files(potfiles)
    listed_set = set(listed)

    candidates = list(files_under(root, 'src', ('.c', '.h')))
    candidates += files_under(root, 'ui', ('.ui',))
    candidates += files_under(root, 'data', DATA_SUFFIXES)
    wanted = [rel for rel in candidates if needs_translation(root, rel)]

    missing = [rel for rel in wanted if rel not in listed_set]
    absent = [rel for rel in listed if not os.path.exists(os.path.join(root, rel))]
    duplicates = sorted({rel for rel in listed if listed.count(rel) > 1})

    ok = True
    if missing:
        ok = False
        print('po/POTFILES.in lacks these files with translatable strings; add them:')
        for rel in missing:
            print('  ' + rel)
    if absent:
        ok = False
        print('po/POTFILES.in names files that do not exist; remove them:')
        for rel in absent:
            print('  ' + rel)
    if duplicates:
        ok = False
        print('po/POTFILES.in names these files more than once:')
        for rel in duplicates:
            print('  ' + rel)
    if ok:
        print('po/POTFILES.in lists all %d files with translatable strings' % len(wanted))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
