#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Lists the interactive objects of a running GTK application as a screen
reader sees them: through AT-SPI, on the accessibility bus of the current
D-Bus session.

Usage: a11y-names.py PID

Walks every window of the application with process id PID and prints one
line for each interactive object (button, toggle, check box, entry, text
area, spin button, combo box, list, table, page tab, slider, menu item…)
that is visible:

  named<TAB>ROLE<TAB>NAME<TAB>PATH<TAB>SHOWN
  unnamed<TAB>ROLE<TAB>PATH<TAB>SHOWN

PATH is the chain of named ancestors, window first. SHOWN is "shown" when
the object takes room on the screen, "hidden" otherwise (a page of a stack
that is not the visible one: GTK 4.8 lists it, without the SHOWING state). An object is unnamed
when its accessible name is empty or is GTK 4.8's fallback, the name of the
widget's class (such as "GtkButton"): a screen reader says nothing useful
then. The parts of a combo box (its popup list) and of a table (GTK's
column view keeps its rows in a list of its own) are named by the combo box
or the table and not listed.

Exit status: 0 when the walk finished (whatever it found), 2 when the
application is not on the bus, 77 when AT-SPI's Python bindings are missing
(Debian: python3-gi gir1.2-atspi-2.0 at-spi2-core).
"""

import re
import sys
import time

try:
    import gi
    gi.require_version('Atspi', '2.0')
    from gi.repository import Atspi, GLib
except (ImportError, ValueError) as error:
    print(f'AT-SPI is not available ({error}): install python3-gi, gir1.2-atspi-2.0 and at-spi2-core',
          file=sys.stderr)
    sys.exit(77)

R = Atspi.Role


def roles(*names):
    return {getattr(R, n) for n in names if hasattr(R, n)}


INTERACTIVE = roles('PUSH_BUTTON', 'TOGGLE_BUTTON', 'CHECK_BOX', 'RADIO_BUTTON', 'PUSH_BUTTON_MENU',
                    'ENTRY', 'PASSWORD_TEXT', 'SPIN_BUTTON', 'COMBO_BOX', 'LIST', 'LIST_BOX',
                    'TABLE', 'TREE_TABLE', 'TREE', 'SLIDER', 'PAGE_TAB', 'LINK', 'SWITCH',
                    'MENU_ITEM', 'CHECK_MENU_ITEM', 'RADIO_MENU_ITEM')
TABLES = roles('TABLE', 'TREE_TABLE')
LIST = roles('LIST', 'LIST_BOX')
# A text object is a control only when it can be edited (GtkTextView).
EDITABLE_TEXT = roles('TEXT')
# GTK 4.8 names an object without a name after its class.
CLASS_NAME = re.compile(r'(Gtk|Adw|Tesoro|Gdk)[A-Z][A-Za-z0-9]*')


def find_app(pid, seconds=10.0):
    end = time.monotonic() + seconds
    while True:
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(i)
            try:
                if app is not None and app.get_process_id() == pid:
                    return app
            except GLib.GError:
                continue
        if time.monotonic() > end:
            return None
        time.sleep(0.1)


def label(obj):
    role = obj.get_role_name()
    name = obj.get_name() or ''
    return f'{role} “{name}”' if name and not CLASS_NAME.fullmatch(name) else None


def walk(obj, path, out, depth=0, in_table=False):
    if depth > 200:
        return
    try:
        role = obj.get_role()
        name = obj.get_name() or ''
        states = obj.get_state_set()
        n = obj.get_child_count()
    except GLib.GError as error:
        out.append(('error', str(error), ' > '.join(path)))
        return

    visible = states.contains(Atspi.StateType.VISIBLE)
    if not visible:
        return

    try:
        extents = Atspi.Component.get_extents(obj, Atspi.CoordType.WINDOW)
        shown = 'shown' if extents.width > 0 and extents.height > 0 else 'hidden'
    except (GLib.GError, TypeError):
        shown = 'hidden'

    interactive = role in INTERACTIVE or (role in EDITABLE_TEXT and states.contains(Atspi.StateType.EDITABLE))
    if in_table and role in LIST:
        interactive = False
    if interactive:
        where = ' > '.join(path)
        if name.strip() == '' or CLASS_NAME.fullmatch(name.strip()):
            out.append(('unnamed', obj.get_role_name(), where, shown))
        else:
            out.append(('named', obj.get_role_name(), name, where, shown))
        if role == R.COMBO_BOX:
            return

    own = label(obj)
    child_path = path + [own] if own else path
    for i in range(n):
        try:
            child = obj.get_child_at_index(i)
        except GLib.GError as error:
            out.append(('error', str(error), ' > '.join(child_path)))
            continue
        if child is not None:
            walk(child, child_path, out, depth + 1, in_table or role in TABLES)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 64
    pid = int(sys.argv[1])
    Atspi.init()
    app = find_app(pid)
    if app is None:
        print(f'no application with process id {pid} on the accessibility bus', file=sys.stderr)
        return 2

    out = []
    for i in range(app.get_child_count()):
        window = app.get_child_at_index(i)
        if window is not None:
            walk(window, [], out)
    for row in out:
        print('\t'.join(x.replace('\t', ' ').replace('\n', ' ') for x in row))
    return 0


if __name__ == '__main__':
    sys.exit(main())
