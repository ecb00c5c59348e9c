#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifests in flatpak/ against the meson build.

For each manifest:
  - it parses as JSON, and its file name is APP-ID.json;
  - its profile is the one its last module configures (-Dprofile=…), and its
    app id is the one meson gives that profile (BASE-ID, or BASE-ID.Devel for
    "development"); for the profile of the build running this check, the app id
    must equal that build's application_id exactly;
  - command is the GUI binary that meson installs (`tesoro`);
  - runtime/sdk are org.gnome.Platform/org.gnome.Sdk, at a version with GTK 4.8 and
    libadwaita 1.2 or newer (GNOME 43 or later), the same in every manifest;
  - the last module is a meson module named after the meson project that builds
    this source tree (a "dir" source pointing at it) with the profile's config-opts;
  - every dependency() of the meson build that the GNOME runtime does not provide is
    built by a module of its own;
  - the sandbox has Wayland with X11 only as fallback, IPC and DRI, and no network,
    no file system access (import and export go through the file chooser portal),
    no session/system bus and no other device access; no module builds with network.

Usage: check-flatpak.py --base-id ID --application-id ID --profile PROFILE [--srcdir ROOT]
"""

import argparse
import glob
import json
import os
import re
import sys

REQUIRED_FINISH_ARGS = ['--share=ipc', '--socket=wayland', '--socket=fallback-x11', '--device=dri']
FORBIDDEN_PREFIXES = [
    ('--share=network', 'network access (Tesoro sends nothing anywhere)'),
    ('--filesystem', 'file system access (import/export use the file chooser portal)'),
    ('--socket=x11', 'plain X11 (use --socket=fallback-x11)'),
    ('--socket=session-bus', 'the whole session bus'),
    ('--socket=system-bus', 'the whole system bus'),
    ('--device=all', 'all devices'),
    ('--talk-name=org.freedesktop.Flatpak', 'a sandbox escape'),
    ('--persist', 'a persisted home directory path'),
]
# pkg-config names that org.gnome.Platform provides (with the freedesktop runtime
# under it). Extend when the build starts to use another one of them.
RUNTIME_PROVIDES = {
    'glib-2.0', 'gio-2.0', 'gio-unix-2.0', 'gobject-2.0', 'gmodule-2.0', 'gthread-2.0',
    'json-glib-1.0', 'sqlite3', 'gtk4', 'libadwaita-1', 'libxml-2.0', 'zlib',
    'gdk-pixbuf-2.0', 'cairo', 'pango', 'pangocairo', 'libsoup-3.0', 'gnutls',
    'libsecret-1', 'gsettings-desktop-schemas', 'graphene-1.0', 'fontconfig',
    'freetype2', 'harfbuzz', 'libcurl', 'openssl', 'libpng', 'libjpeg',
}
MIN_GNOME_RUNTIME = 43  # GTK 4.8, libadwaita 1.2, GLib 2.74: what the code is pinned to.


class Problems:
    def __init__(self):
        self.items = []

    def add(self, where, message):
        self.items.append('%s: %s' % (where, message))


def meson_files(root):
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        # Skip build directories (they have meson-private/) and hidden folders.
        dirnames[:] = [d for d in dirnames
                       if not d.startswith('.') and
                       not os.path.exists(os.path.join(dirpath, d, 'meson-private')) and
                       not (rel == '.' and d in ('subprojects', 'flatpak'))]
        if 'meson.build' in filenames:
            yield os.path.join(dirpath, 'meson.build')


def meson_facts(root):
    project = None
    executables = set()
    dependencies = set()
    for path in meson_files(root):
        with open(path, encoding='utf-8') as f:
            text = f.read()
        # Drop comments so that examples in them do not count.
        text = re.sub(r'#[^\n]*', '', text)
        if os.path.dirname(path) == root:
            m = re.search(r"project\(\s*'([^']+)'", text)
            if m:
                project = m.group(1)
        for m in re.finditer(r"executable\(\s*'([^']+)'(.*?)\)\s*(?:\n|$)", text, re.S):
            if re.search(r'install\s*:\s*true', m.group(2)):
                executables.add(m.group(1))
        for m in re.finditer(r"dependency\(\s*'([^']+)'", text):
            dependencies.add(m.group(1))
    return project, executables, dependencies


def option(config_opts, name):
    value = None
    for opt in config_opts:
        for prefix in ('-D' + name + '=', '--' + name + '='):
            if opt.startswith(prefix):
                value = opt[len(prefix):]
    return value


def check_manifest(path, args, facts, problems):
    rel = os.path.relpath(path, args.srcdir)
    root = os.path.abspath(args.srcdir)
    project, executables, dependencies = facts
    try:
        with open(path, encoding='utf-8') as f:
            manifest = json.load(f)
    except json.JSONDecodeError as e:
        problems.add(rel, 'not valid JSON: %s (line %d, column %d)' % (e.msg, e.lineno, e.colno))
        return None

    app_id = manifest.get('app-id', manifest.get('id'))
    modules = manifest.get('modules') or []
    if not modules or not isinstance(modules[-1], dict):
        problems.add(rel, 'no modules (the last one must build Tesoro with meson)')
        return None
    last = modules[-1]
    config_opts = last.get('config-opts', [])
    profile = option(config_opts, 'profile') or 'default'
    if profile not in ('default', 'development'):
        problems.add(rel, 'unknown profile %r in config-opts (meson_options.txt has default, development)' % profile)

    expected_id = args.base_id + ('.Devel' if profile == 'development' else '')
    if app_id != expected_id:
        problems.add(rel, 'app-id is %r, but meson gives profile %r the id %r' % (app_id, profile, expected_id))
    if profile == args.profile and app_id != args.application_id:
        problems.add(rel, 'app-id %r differs from this build\'s application_id %r (profile %s)'
                     % (app_id, args.application_id, profile))
    if os.path.basename(path) != '%s.json' % app_id:
        problems.add(rel, 'the file should be named %s.json after its app-id' % app_id)

    command = manifest.get('command')
    if command != 'tesoro':
        problems.add(rel, 'command is %r; the GUI binary is "tesoro"' % command)
    elif command not in executables:
        problems.add(rel, 'command %r is not an installed executable() of the meson build (found: %s)'
                     % (command, ', '.join(sorted(executables)) or 'none'))

    if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('sdk') != 'org.gnome.Sdk':
        problems.add(rel, 'runtime/sdk must be org.gnome.Platform/org.gnome.Sdk')
    version = str(manifest.get('runtime-version', ''))
    if not re.fullmatch(r'\d+', version) or int(version) < MIN_GNOME_RUNTIME:
        problems.add(rel, 'runtime-version %r: need GNOME %d or later (GTK 4.8, libadwaita 1.2)'
                     % (version, MIN_GNOME_RUNTIME))

    # The Tesoro module.
    if last.get('buildsystem') != 'meson':
        problems.add(rel, 'the last module must have "buildsystem": "meson"')
    if project and last.get('name') != project:
        problems.add(rel, 'the last module is named %r; the meson project is %r' % (last.get('name'), project))
    dirs = [s for s in last.get('sources', []) if isinstance(s, dict) and s.get('type') == 'dir']
    if not dirs:
        problems.add(rel, 'the last module has no "dir" source pointing at this source tree')
    for source in dirs:
        target = os.path.normpath(os.path.join(os.path.dirname(path), source.get('path', '')))
        if os.path.realpath(target) != os.path.realpath(root):
            problems.add(rel, 'the "dir" source %r is %s, not the project root %s'
                         % (source.get('path'), target, root))
    if profile == 'development' and option(config_opts, 'profile') != 'development':
        problems.add(rel, 'a .Devel manifest must pass -Dprofile=development')
    if app_id == args.base_id and option(config_opts, 'profile') not in (None, 'default'):
        problems.add(rel, 'the stable manifest must build the default profile')
    if option(config_opts, 'gui') not in (None, 'true'):
        problems.add(rel, 'the Flatpak must build the GUI (-Dgui=true)')

    # Dependencies not in the runtime need a module of their own.
    module_names = {str(m.get('name', '')).lower() for m in modules[:-1] if isinstance(m, dict)}
    for dep in sorted(dependencies - RUNTIME_PROVIDES):
        short = re.sub(r'^lib', '', dep.lower())
        short = re.sub(r'[-_]?\d+(\.\d+)*$', '', short)
        if not any(short in name for name in module_names):
            problems.add(rel, 'meson uses dependency(%r), which the GNOME runtime does not provide; '
                         'add a module that builds it (or add it to RUNTIME_PROVIDES in %s if the '
                         'runtime has it)' % (dep, os.path.basename(__file__)))

    # The sandbox.
    finish_args = manifest.get('finish-args', [])
    for required in REQUIRED_FINISH_ARGS:
        if required not in finish_args:
            problems.add(rel, 'finish-args lacks %s' % required)
    for arg in finish_args:
        for prefix, why in FORBIDDEN_PREFIXES:
            if arg == prefix or arg.startswith(prefix + '='):
                problems.add(rel, 'finish-args has %s: no %s' % (arg, why))
        if arg.startswith('--device=') and arg != '--device=dri':
            problems.add(rel, 'finish-args has %s: only --device=dri is needed' % arg)

    def build_args(where, options):
        for arg in (options or {}).get('build-args', []):
            if arg.startswith('--share=network'):
                problems.add(rel, '%s builds with network access (%s)' % (where, arg))
    build_args('the manifest', manifest.get('build-options'))
    for module in modules:
        if isinstance(module, dict):
            build_args('module %r' % module.get('name'), module.get('build-options'))
    return manifest


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--srcdir', default=os.path.join(os.path.dirname(__file__), '..'))
    parser.add_argument('--base-id', required=True)
    parser.add_argument('--application-id', required=True)
    parser.add_argument('--profile', required=True)
    args = parser.parse_args()
    args.srcdir = os.path.abspath(args.srcdir)

    facts = meson_facts(args.srcdir)
    problems = Problems()
    manifests = sorted(glob.glob(os.path.join(args.srcdir, 'flatpak', '*.json')))
    ids = {}
    versions = set()
    for path in manifests:
        manifest = check_manifest(path, args, facts, problems)
        if manifest is not None:
            ids[manifest.get('app-id', manifest.get('id'))] = path
            versions.add(str(manifest.get('runtime-version')))
    for wanted in (args.base_id, args.base_id + '.Devel'):
        if wanted not in ids:
            problems.add('flatpak/', 'no manifest with app-id %s' % wanted)
    if len(versions) > 1:
        problems.add('flatpak/', 'the manifests use different runtime versions: %s' % ', '.join(sorted(versions)))

    if problems.items:
        for item in problems.items:
            print(item)
        print('%d problem(s) in %d manifest(s)' % (len(problems.items), len(manifests)))
        return 1
    for app_id, path in sorted(ids.items()):
        print('%s: %s on GNOME %s, consistent with the meson build'
              % (os.path.relpath(path, args.srcdir), app_id, next(iter(versions))))
    return 0


if __name__ == '__main__':
    sys.exit(main())
