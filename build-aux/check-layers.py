#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that the code keeps to its rooms (docs/ARCHITECTURE.md).

  - Only src/core/storage/<engine>/ speaks to an engine: nothing else includes
    sqlite3.h (or libpq-fe.h) or calls sqlite3_* (or PQ*).
  - The front ends (src/gui, src/cli, src/main.c) include no storage header and
    no private header of the core: they hold a TesoroSession.
  - A room of the core only looks down:
        services -> import, formats, storage, model
        import   -> formats, model
        storage  -> model (and, for an engine, its own folder)
        formats  -> model
        model    -> nothing of the core
  - Storage never calls up into the services.

Fails, naming each file and line, when one of these is broken.

Usage: check-layers.py [SOURCE_ROOT]
"""

import os
import re
import sys

ENGINE_CALL = re.compile(r'\b(?:sqlite3_[a-z0-9_]+|PQ[a-z][A-Za-z0-9]*)\s*\(')
ENGINE_INCLUDE = re.compile(r'#\s*include\s*[<"](?:sqlite3\.h|libpq-fe\.h)[>"]')
INCLUDE = re.compile(r'#\s*include\s*"([^"]+)"')
COMMENT_OR_STRING = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"', re.S)

# What each room of src/core may include from the other rooms.
MAY_SEE = {
    'model': set(),
    'formats': {'model'},
    'import': {'formats', 'model'},
    'storage': {'model'},
    'services': {'import', 'formats', 'storage', 'model'},
}


def room_of(rel):
    """The room of a file under src/core, e.g. 'storage' (engines included)."""
    parts = rel.split('/')
    if len(parts) >= 3 and parts[0] == 'src' and parts[1] == 'core':
        return parts[2]
    return None


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..'))
    core = os.path.join(root, 'src', 'core')

    # Which room defines each header of the core.
    header_room = {}
    for dirpath, _, names in os.walk(core):
        for name in names:
            if name.endswith('.h'):
                rel = os.path.relpath(os.path.join(dirpath, name), root)
                header_room[name] = (room_of(rel), rel)

    problems = []
    for dirpath, _, names in os.walk(os.path.join(root, 'src')):
        for name in sorted(names):
            if not name.endswith(('.c', '.h')):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            with open(path, encoding='utf-8') as f:
                text = f.read()
            in_engine = rel.startswith('src/core/storage/') and rel.count('/') >= 4
            front_end = rel.startswith(('src/gui/', 'src/cli/')) or rel == 'src/main.c'
            room = room_of(rel)

            for lineno, line in enumerate(text.split('\n'), 1):
                if not in_engine and ENGINE_INCLUDE.search(line):
                    problems.append(f'{rel}:{lineno}: includes an engine header outside src/core/storage/<engine>/')

            code = COMMENT_OR_STRING.sub(lambda m: '\n' * m.group(0).count('\n'), text)
            for lineno, line in enumerate(code.split('\n'), 1):
                if not in_engine and ENGINE_CALL.search(line):
                    problems.append(f'{rel}:{lineno}: calls the engine outside src/core/storage/<engine>/')

            for lineno, line in enumerate(text.split('\n'), 1):
                m = INCLUDE.search(line)
                if m is None:
                    continue
                header = os.path.basename(m.group(1))
                if header not in header_room:
                    continue
                target_room, target_rel = header_room[header]
                if front_end:
                    if target_room == 'storage':
                        problems.append(f'{rel}:{lineno}: a front end includes the storage header {header} '
                                        '(hold a TesoroSession instead)')
                    elif header.endswith('-private.h'):
                        problems.append(f'{rel}:{lineno}: a front end includes the core\'s private header {header}')
                elif room is not None and target_room != room and target_room not in MAY_SEE.get(room, set()):
                    problems.append(f'{rel}:{lineno}: the room {room}/ includes {target_rel}, '
                                    f'which is in {target_room}/ (a room only looks down)')

    for p in problems:
        print(p)
    if problems:
        print(f'check-layers: {len(problems)} problem(s)')
        return 1
    print('check-layers: every room looks down; only storage/<engine>/ speaks to an engine')
    return 0


if __name__ == '__main__':
    sys.exit(main())
