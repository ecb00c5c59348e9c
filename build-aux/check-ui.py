#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Validates every GtkBuilder file under ui/ with `gtk4-builder-tool validate`.

The .ui files are found when the test runs, so new ones are checked without a
change to the build. GTK 4.8's tool cannot resolve libadwaita's types, the static
signal handlers of templates or Tesoro's own widgets; the library given with
--shim (tests/ui-validate-shim.c) is preloaded to give it those (see there).
List-item templates (<template class="GtkListItem"> without a parent) are given
their parent for the tool. Needs a display: without one, the check runs itself
under build-aux/headless.sh (Xvfb).

Exit status: 0 all valid, 1 an invalid file, 77 (skipped) when there is no .ui
file yet or no display can be had.

Usage: check-ui.py --shim PATH [--srcdir ROOT]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SKIP = 77


def ui_files(root):
    base = os.path.join(root, 'ui')
    found = []
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames.sort()
        found += [os.path.join(dirpath, n) for n in sorted(filenames) if n.endswith('.ui')]
    return found


def placeholders(tree):
    """'TesoroX=prop1,prop2:signal1;…' for the Tesoro types that the file uses, and
    the names of their properties set by <binding>."""
    members = {}
    bound = set()
    for obj in tree.iter('object'):
        cls = obj.get('class', '')
        if not cls.startswith('Tesoro'):
            continue
        props, signals = members.setdefault(cls, (set(), set()))
        for child in obj:
            if child.tag in ('property', 'binding') and child.get('name'):
                props.add(child.get('name').replace('_', '-'))
                if child.tag == 'binding':
                    bound.add(child.get('name').replace('_', '-'))
            elif child.tag == 'signal' and child.get('name'):
                signals.add(child.get('name').split('::')[0])
    spec = ';'.join('%s=%s:%s' % (cls, ','.join(sorted(p)), ','.join(sorted(s)))
                    for cls, (p, s) in sorted(members.items()))
    return spec, bound


def sanitizer_runtimes(shim):
    """The sanitizer libraries a sanitized build linked the shim with: they must be
    loaded first, as the tool itself is not built with them."""
    try:
        out = subprocess.run(['ldd', shim], capture_output=True, text=True).stdout
    except OSError:
        return []
    found = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] == '=>' and \
           parts[0].startswith(('libasan.', 'libubsan.', 'libtsan.', 'liblsan.')):
            found.append(parts[2])
    return found


def validate(path, shim, tmpdir, root):
    rel = os.path.relpath(path, root)
    try:
        tree = ET.parse(path)
    except ET.ParseError as e:
        print('%s: not well-formed XML: %s' % (rel, e))
        return False
    env = dict(os.environ)
    env['LD_PRELOAD'] = ':'.join(sanitizer_runtimes(shim) + [shim] +
                                 ([env['LD_PRELOAD']] if env.get('LD_PRELOAD') else []))
    env['TESORO_UI_PLACEHOLDERS'], bound = placeholders(tree)
    env.setdefault('GSETTINGS_BACKEND', 'memory')
    # List-item factories load their templates from Tesoro's resources: serve them from ui/.
    env['G_RESOURCE_OVERLAYS'] = '/io/github/tesorocrm/Tesoro=' + os.path.join(root, 'ui')
    # GTK and the tool are not built for leak checking.
    env['ASAN_OPTIONS'] = 'detect_leaks=0'
    target = path
    template = tree.getroot().find('template')
    if template is not None:
        env['TESORO_UI_TEMPLATE_CLASS'] = template.get('class', '')
        if template.get('parent') is None:
            # A GtkBuilderListItemFactory template: the tool wants a parent to make a type
            # from, but uses the existing GtkListItem type.
            template.set('parent', 'GObject')
            target = os.path.join(tmpdir, os.path.basename(path))
            tree.write(target, encoding='UTF-8', xml_declaration=True)
    result = subprocess.run(['gtk4-builder-tool', 'validate', target], env=env,
                            capture_output=True, text=True)
    notes = [line for line in result.stderr.splitlines() if line.startswith('note: ')]

    def placeholder_binding(line):
        # A placeholder's properties are strings; what a <binding> gives them is
        # checked by the widget tests, with the real widget.
        return any("unable to set property '%s' of type 'gchararray'" % name in line
                   for name in bound)

    errors = [line for line in (result.stdout + result.stderr).splitlines()
              if line.strip() and not line.startswith('note: ') and 'dbus-daemon' not in line
              and 'org.a11y.Bus' not in line and not placeholder_binding(line)]
    if result.returncode != 0 or errors:
        print('%s: INVALID (exit status %d)' % (rel, result.returncode))
        for line in errors:
            print('  ' + line.replace(target, rel))
        return False
    print('%s: valid%s' % (rel, ' (%d placeholder type(s))' % len(notes) if notes else ''))
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--srcdir', default=os.path.join(os.path.dirname(__file__), '..'))
    parser.add_argument('--shim', required=True)
    args = parser.parse_args()
    root = os.path.abspath(args.srcdir)

    files = ui_files(root)
    if not files:
        print('no .ui files under ui/ yet: nothing to validate')
        return SKIP
    if not os.path.exists(args.shim):
        print('%s does not exist: the build is incomplete (run ninja first)' % args.shim)
        return 1
    if shutil.which('gtk4-builder-tool') is None:
        print('gtk4-builder-tool is not installed (Debian: libgtk-4-bin); skipping')
        return SKIP
    if not os.environ.get('DISPLAY') and not os.environ.get('WAYLAND_DISPLAY'):
        headless = os.path.join(root, 'build-aux', 'headless.sh')
        if os.environ.get('TESORO_CHECK_UI_HEADLESS') or shutil.which('Xvfb') is None:
            print('no display and no Xvfb: cannot validate .ui files; skipping')
            return SKIP
        env = dict(os.environ, TESORO_CHECK_UI_HEADLESS='1')
        return subprocess.run([headless, sys.executable] + sys.argv, env=env).returncode

    ok = True
    with tempfile.TemporaryDirectory(prefix='tesoro-check-ui-') as tmpdir:
        for path in files:
            ok = validate(path, os.path.abspath(args.shim), tmpdir, root) and ok
    print('%d .ui file(s) checked' % len(files))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
