#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that the translations are complete.

Generates a fresh template (tesoro.pot) with xgettext from po/POTFILES.in, with the
same keywords as meson's i18n 'glib' preset, then fails for each catalogue in
po/LINGUAS (or the languages given) that
  - lacks a message of the template (absent, or only as an obsolete #~ entry),
  - has an untranslated message (an empty msgstr, or an empty plural form),
  - has a fuzzy message.
Messages in a catalogue that the template no longer has are reported but are not
an error (`meson compile tesoro-update-po` removes them).

Usage: check-po.py [--srcdir ROOT] [--keep-pot FILE] [LANG…]
"""

import argparse
import os
import subprocess
import sys
import tempfile

XGETTEXT_ARGS = [
    '--from-code=UTF-8',
    '--add-comments',
    '--keyword=_',
    '--keyword=N_',
    '--keyword=C_:1c,2',
    '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2',
    '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format',
    '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format',
    '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format',
    '--flag=g_printerr:1:c-format',
    '--flag=g_print:1:c-format',
]

ESCAPES = {'n': '\n', 't': '\t', 'r': '\r', '"': '"', '\\': '\\', 'a': '\a', 'b': '\b',
           'f': '\f', 'v': '\v'}


def unquote(s, where):
    s = s.strip()
    if len(s) < 2 or s[0] != '"' or s[-1] != '"':
        raise ValueError('%s: expected a quoted string, found %r' % (where, s))
    out = []
    i = 1
    while i < len(s) - 1:
        c = s[i]
        if c == '\\' and i + 1 < len(s) - 1:
            out.append(ESCAPES.get(s[i + 1], s[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return ''.join(out)


class Entry:
    def __init__(self):
        self.ctxt = None
        self.msgid = None
        self.plural = None
        self.msgstr = {}
        self.flags = set()
        self.obsolete = False
        self.line = 0

    @property
    def key(self):
        return (self.ctxt, self.msgid)

    def describe(self):
        text = self.msgid if len(self.msgid) <= 70 else self.msgid[:67] + '...'
        text = text.replace('\n', '\\n')
        if self.ctxt is not None:
            return '[%s] "%s"' % (self.ctxt, text)
        return '"%s"' % text


def parse_po(path):
    """Returns the entries of a .po/.pot file (header excluded)."""
    entries = []
    entry = Entry()
    field = None
    started = False

    def finish():
        nonlocal entry, field, started
        if started and entry.msgid is not None:
            entries.append(entry)
        entry = Entry()
        field = None
        started = False

    with open(path, encoding='utf-8') as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip('\n')
            where = '%s:%d' % (path, number)
            obsolete = False
            if line.startswith('#~'):
                obsolete = True
                line = line[2:].lstrip()
                # '#~|' lines are previous msgids of an obsolete entry.
                if not line or line.startswith(('#', '|')):
                    continue
            stripped = line.strip()
            if not stripped:
                finish()
                continue
            if stripped.startswith('#'):
                # A comment starts a new entry if the previous one had its strings.
                if started and entry.msgstr:
                    finish()
                if stripped.startswith('#,'):
                    entry.flags.update(flag.strip() for flag in stripped[2:].split(','))
                continue
            keyword, _, rest = stripped.partition(' ')
            if keyword.startswith('"'):
                if field is None:
                    raise ValueError('%s: a string continues no keyword' % where)
                value = unquote(stripped, where)
                if field == 'msgctxt':
                    entry.ctxt += value
                elif field == 'msgid':
                    entry.msgid += value
                elif field == 'msgid_plural':
                    entry.plural += value
                else:
                    entry.msgstr[field] += value
                continue
            if keyword in ('msgctxt', 'msgid') and started and entry.msgstr:
                finish()
            if not started:
                entry.line = number
                started = True
            entry.obsolete = entry.obsolete or obsolete
            value = unquote(rest, where)
            if keyword == 'msgctxt':
                entry.ctxt = value
                field = 'msgctxt'
            elif keyword == 'msgid':
                entry.msgid = value
                field = 'msgid'
            elif keyword == 'msgid_plural':
                entry.plural = value
                field = 'msgid_plural'
            elif keyword == 'msgstr':
                entry.msgstr[0] = value
                field = 0
            elif keyword.startswith('msgstr[') and keyword.endswith(']'):
                index = int(keyword[7:-1])
                entry.msgstr[index] = value
                field = index
            else:
                raise ValueError('%s: unknown keyword %r' % (where, keyword))
    finish()
    return [e for e in entries if not (e.msgid == '' and e.ctxt is None)]


def generate_pot(root, output):
    potfiles = os.path.join(root, 'po', 'POTFILES.in')
    command = ['xgettext', '--package-name=tesoro', '--output=' + output,
               '--directory=' + root, '--files-from=' + potfiles] + XGETTEXT_ARGS
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit('check-po: xgettext failed (exit status %d)' % result.returncode)
    if not os.path.exists(output):
        # xgettext writes nothing when there is no message at all.
        open(output, 'w').close()


def check_language(root, lang, template):
    path = os.path.join(root, 'po', lang + '.po')
    if not os.path.exists(path):
        print('%s: missing (the language is in po/LINGUAS)' % os.path.relpath(path, root))
        return False
    entries = parse_po(path)
    active = {e.key: e for e in entries if not e.obsolete}
    relpath = os.path.relpath(path, root)

    missing = [t for t in template if t.key not in active]
    untranslated = []
    fuzzy = []
    for t in template:
        e = active.get(t.key)
        if e is None:
            continue
        if 'fuzzy' in e.flags:
            fuzzy.append(e)
        forms = e.msgstr.values() if e.msgstr else ['']
        if any(form == '' for form in forms) or (t.plural is not None and len(e.msgstr) < 2):
            untranslated.append(e)
    template_keys = {t.key for t in template}
    stale = [e for e in active.values() if e.key not in template_keys]

    def report(title, items, show_line=True):
        print('%s: %d %s:' % (relpath, len(items), title))
        for e in items:
            if show_line:
                print('  %s:%d: %s' % (relpath, e.line, e.describe()))
            else:
                print('  %s' % e.describe())

    ok = True
    if missing:
        ok = False
        report('messages of the source missing (run `meson compile -C BUILD tesoro-update-po`)',
               missing, show_line=False)
    if untranslated:
        ok = False
        report('untranslated messages', untranslated)
    if fuzzy:
        ok = False
        report('fuzzy messages (check the translation, then remove the fuzzy flag)', fuzzy)
    if stale:
        report('messages no longer in the source (not an error)', stale)
    if ok:
        print('%s: all %d messages translated, none fuzzy' % (relpath, len(template)))
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--srcdir', default=os.path.join(os.path.dirname(__file__), '..'))
    parser.add_argument('--keep-pot', metavar='FILE', help='also write the template here')
    parser.add_argument('languages', nargs='*')
    args = parser.parse_args()
    root = os.path.abspath(args.srcdir)

    languages = args.languages
    if not languages:
        with open(os.path.join(root, 'po', 'LINGUAS'), encoding='utf-8') as f:
            for line in f:
                languages += line.split('#', 1)[0].split()

    with tempfile.TemporaryDirectory(prefix='tesoro-check-po-') as tmp:
        pot = os.path.join(tmp, 'tesoro.pot')
        generate_pot(root, pot)
        if args.keep_pot:
            with open(pot, encoding='utf-8') as src, open(args.keep_pot, 'w', encoding='utf-8') as dst:
                dst.write(src.read())
        template = [e for e in parse_po(pot) if not e.obsolete]

    print('tesoro.pot: %d messages from po/POTFILES.in' % len(template))
    ok = True
    for lang in languages:
        ok = check_language(root, lang, template) and ok
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
