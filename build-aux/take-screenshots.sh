#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Takes the screenshots of data/screenshots/ (referenced by the AppStream metainfo)
# from the real app: the built Tesoro runs headless (Xvfb) on a fresh demo
# database, once in English, once in Dutch and once in the dark style, and each
# run captures four screens:
#
#   main-window     the contact list, nothing selected
#   contact         a contact opened from a search
#   actions-menu    that contact's Actions menu open
#   preferences     the Preferences window
#
# named SCREEN.png (English), SCREEN-nl.png (Dutch) and SCREEN-dark.png (dark).
# A second pair of runs (English and Dutch) gives the same database users with
# passwords and captures access control:
#
#   sign-in         the sign-in page a database with several users opens on
#   contact-sales   a contact as a Sales user sees it (no birthday)
#   users, roles    the Users and Roles pages of Preferences (administrator)
# A last pair of runs captures the privacy office, on the demo database with
# data-subject requests recorded through tesoro-cli:
#
#   requests        the Requests window: the list by deadline, an overdue
#                   erasure request open on its page with Respond
#   request-page    an access request whose identity is verified, ready for
#                   its one-click response package
# and a run in each language on the demo database with three breaches:
#
#   breaches        the Breach Log (one breach within its 72 hours, one
#                   notified, one overdue)
#   breach-form     its Record Breach form
#
# and one in each language with birthdays switched off and the register
# filled in (a controller and a recipient):
#
#   fields          Preferences → Fields, with the minimisation report
#   register        Privacy → Register of Processing
#
# TESORO_SHOT_ONLY=main|access|privacy takes one group of screens only.
# Anyone can rerun it:
#
#   ninja -C build && build-aux/take-screenshots.sh [BUILDDIR] [OUTDIR]
#
# It needs Xvfb, xdotool, ImageMagick's `import`, the nl_NL.UTF-8 locale for the
# Dutch run (build-aux/install-deps.sh installs and generates them) and the
# Cantarell font for GNOME's look. The key sequences that reach each screen are in
# one function per screen below: change them there when the interface changes.
set -euo pipefail

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=$(cd "${1:-$srcdir/build}" && pwd)
outdir=${2:-$srcdir/data/screenshots}
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)

# Window size of the screenshots (GNOME's guideline: large enough to show the
# app at work, small enough to stay legible when scaled down).
WIDTH=${TESORO_SHOT_WIDTH:-1100}
HEIGHT=${TESORO_SHOT_HEIGHT:-700}
DEMO_COUNT=${TESORO_SHOT_DEMO_COUNT:-300}
DEMO_SEED=${TESORO_SHOT_DEMO_SEED:-7}

tesoro="$builddir/src/tesoro"
cli="$builddir/src/cli/tesoro-cli"

die() {
  echo "take-screenshots: $*" >&2
  exit 1
}

[ -x "$tesoro" ] || die "$tesoro does not exist: build the GUI first (ninja -C $builddir)"
[ -x "$cli" ] || die "$cli does not exist: build first (ninja -C $builddir)"
for tool in xdotool import Xvfb dbus-run-session; do
  command -v "$tool" >/dev/null || die "$tool is not installed (build-aux/install-deps.sh installs it)"
done

# A private X server for the whole run (the screen is larger than the window).
if [ -z "${TESORO_SHOT_HEADLESS:-}" ]; then
  TESORO_SHOT_HEADLESS=1 exec "$srcdir/build-aux/headless.sh" "$0" "$builddir" "$outdir"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tesoro-screenshots.XXXXXX")
app_pid=""
cleanup() {
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# --- helpers ---------------------------------------------------------------

# Translates MSGID with Tesoro's catalogue in the current run's locale, to find
# windows by their title.
tr_msg() {
  TEXTDOMAINDIR="$builddir/po" LANGUAGE="" LC_ALL="$run_locale" gettext -d tesoro "$1"
}

pause() {
  sleep "${1:-0.6}"
}

keys() {
  xdotool key --clearmodifiers --delay 80 "$@"
  pause
}

type_text() {
  xdotool type --clearmodifiers --delay 40 "$1"
  pause
}

# Waits for a visible window of the app whose title is exactly TITLE; prints its id.
wait_window() {
  local title=$1 id=""
  for _ in $(seq 1 100); do
    id=$(xdotool search --all --onlyvisible --pid "$app_pid" --name "^${title}\$" 2>/dev/null | tail -n 1 || true)
    [ -n "$id" ] && { echo "$id"; return 0; }
    kill -0 "$app_pid" 2>/dev/null || die "tesoro exited (log: $(cat "$tmp/tesoro.log"))"
    sleep 0.1
  done
  die "no window titled '$title' appeared"
}

# xdotool getwindowgeometry --shell prints WIDTH/HEIGHT: keep ours apart.
xdotool_geometry_fix() {
  sed -e 's/^WIDTH=/WIDTH_=/' -e 's/^HEIGHT=/HEIGHT_=/'
}

# Captures the screen area of window ID (popovers over it included: there is no
# compositor under Xvfb) into NAME$suffix.png.
capture() {
  local id=$1 name=$2
  pause 0.8
  eval "$(xdotool getwindowgeometry --shell "$id" | xdotool_geometry_fix)"
  import -window root -crop "${WIDTH_}x${HEIGHT_}+${X}+${Y}" +repage -strip "$outdir/$name$suffix.png"
  echo "  $outdir/$name$suffix.png (${WIDTH_}x${HEIGHT_})"
}

focus() {
  xdotool windowfocus --sync "$1" 2>/dev/null || xdotool windowfocus "$1"
  pause 0.3
}

# A contact of the demo database to search for and open: one with an organisation.
pick_contact() {
  "$cli" --db "$db" list --limit 50 --json | python3 -c '
import json, sys
data = json.load(sys.stdin)
items = data if isinstance(data, list) else data.get("contacts", [])
best = next((c for c in items if c.get("organization")), items[0] if items else {})
print(best.get("display_name") or best.get("family_name") or "")
'
}

# --- one function per screen -------------------------------------------------
# Each starts where the previous one left the app and leaves it for the next.

shot_main_window() {
  focus "$main"
  capture "$main" main-window
}

# shot_contact [NAME]: captures as NAME (default: contact).
shot_contact() {
  focus "$main"
  keys ctrl+f                  # start the search
  type_text "$contact_name"
  keys Return                  # open the first match
  capture "$main" "${1:-contact}"
}

shot_actions_menu() {
  focus "$main"
  keys Escape                  # leave the search entry; the contact stays open
  # The Actions menu button (⋮) sits 143 px from the window's right edge in the
  # header bar, left of the window buttons, whatever the language.
  eval "$(xdotool getwindowgeometry --shell "$main" | xdotool_geometry_fix)"
  xdotool mousemove $((X + WIDTH_ - 143)) $((Y + 27)) click 1
  pause
  xdotool mousemove 1270 790
  capture "$main" actions-menu
  keys Escape                  # close the menu
}

shot_preferences() {
  local prefs
  focus "$main"
  keys ctrl+comma              # Preferences (GNOME's standard shortcut)
  prefs=$(wait_window "$(tr_msg Preferences)")
  focus "$prefs"
  capture "$prefs" preferences
  keys Escape                  # close Preferences
}

shot_sign_in() {
  focus "$main"
  capture "$main" sign-in
}

# sign_in LOGIN PASSWORD: on the sign-in page, the login row has the focus;
# Enter moves on to the password, Enter again signs in.
sign_in() {
  focus "$main"
  type_text "$1"
  keys Return
  type_text "$2"
  keys Return
  pause 1
}

# find_control ROLE NAME [activate]: finds the control of the app with the
# accessible ROLE (an Atspi role: PAGE_TAB, LIST_ITEM…) and NAME through AT-SPI,
# as a screen reader would (controls move with the language), and prints its
# centre relative to its window; with "activate", carries out its action instead
# (for the items of a popover menu, whose extents GTK 4.8 does not report).
find_control() {
  DBUS_SESSION_BUS_ADDRESS=$(cat "$tmp/tesoro.bus") /usr/bin/python3 - "$app_pid" "$1" "$2" "${3:-}" <<'PY'
import sys, gi
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi
pid, role, name = int(sys.argv[1]), getattr(Atspi.Role, sys.argv[2]), sys.argv[3]
def walk(node, found, depth=0):
    if node is None or depth > 40:
        return
    try:
        if node.get_role() == role and node.get_name() == name:
            if sys.argv[4] == 'activate':
                Atspi.Action.do_action(node, 0)
                sys.exit(0)
            box = node.get_extents(Atspi.CoordType.WINDOW)
            if box.width > 0 and box.height > 0:
                found.append(box)
        for i in range(node.get_child_count()):
            walk(node.get_child_at_index(i), found, depth + 1)
    except Exception:
        pass
desktop = Atspi.get_desktop(0)
for i in range(desktop.get_child_count()):
    app = desktop.get_child_at_index(i)
    if app is not None and app.get_process_id() == pid:
        found = []
        walk(app, found)
        if found:
            box = found[0]
            print(box.x + box.width // 2, box.y + box.height // 2)
            sys.exit(0)
sys.exit('no %s named %s' % (sys.argv[2], name))
PY
}

# click WINDOW ROLE NAME: clicks the control (see find_control) in WINDOW.
click() {
  local at
  at=$(find_control "$2" "$3")
  eval "$(xdotool getwindowgeometry --shell "$1" | xdotool_geometry_fix)"
  xdotool mousemove $((X + ${at% *})) $((Y + ${at#* })) click 1
  pause
  xdotool mousemove 1270 790
  pause 0.3
}

shot_contact_sales() {
  sign_in "$sales_login" "$sales_password"
  shot_contact contact-sales
}

shot_users_roles() {
  local prefs
  sign_in "$admin_login" "$admin_password"
  focus "$main"
  keys ctrl+comma
  prefs=$(wait_window "$(tr_msg Preferences)")
  focus "$prefs"
  click "$prefs" PAGE_TAB "$(tr_msg Users)"
  click "$prefs" LIST_ITEM "Sanne de Vries"
  capture "$prefs" users
  click "$prefs" PAGE_TAB "$(tr_msg Roles)"
  click "$prefs" LIST_ITEM "$(tr_msg Sales)"
  # Scrolls down to Sales' field groups: field-level security at work.
  eval "$(xdotool getwindowgeometry --shell "$prefs" | xdotool_geometry_fix)"
  xdotool mousemove $((X + WIDTH_ / 2)) $((Y + HEIGHT_ / 2)) click --repeat 15 --delay 60 5
  xdotool mousemove 1270 790
  capture "$prefs" roles
  keys Escape
}

# open_requests: the start-up toast says requests are due; its Show Requests
# button opens the Requests window; sets $requests.
open_requests() {
  focus "$main"
  click "$main" PUSH_BUTTON "$(tr_msg 'Show _Requests' | tr -d _)"
  requests=$(wait_window "$(tr_msg 'Privacy Requests')")
  xdotool windowmove "$requests" 60 40
  xdotool windowsize "$requests" "$WIDTH" "$HEIGHT"
  pause 1
}

shot_requests() {
  open_requests
  focus "$requests"
  capture "$requests" requests
  # The access request: its row's title is "NUMBER · KIND · REQUESTER".
  click "$requests" LABEL "2 · $(tr_msg Access) · Jan de Boer"
  capture "$requests" request-page
  keys Escape
}

# The Breach Log, opened from the main menu (F10), and its Record Breach form.
shot_breaches() {
  local log form
  focus "$main"
  keys F10                     # the main menu
  find_control MENU_ITEM "$(tr_msg "Breach Log")" activate
  log=$(wait_window "$(tr_msg "Breach Log")")
  xdotool windowsize "$log" "$WIDTH" "$HEIGHT"
  focus "$log"
  capture "$log" breaches
  keys ctrl+n                  # Record Breach…
  form=$(wait_window "$(tr_msg "Record Breach")")
  focus "$form"
  type_text "$breach_form_text"
  capture "$form" breach-form
  keys Escape                  # close the form
  keys Escape                  # close the log
}

shot_fields() {
  local prefs
  focus "$main"
  keys ctrl+comma
  prefs=$(wait_window "$(tr_msg Preferences)")
  focus "$prefs"
  click "$prefs" PAGE_TAB "$(tr_msg Fields)"
  capture "$prefs" fields
  keys Escape
}

shot_register() {
  local window
  focus "$main"
  keys F10                     # the main menu
  find_control MENU_ITEM "$(tr_msg "Register of Processing")" activate
  window=$(wait_window "$(tr_msg 'Register of Processing')")
  xdotool windowmove "$window" 60 20
  focus "$window"
  capture "$window" register
  keys Escape
}

# --- the runs ------------------------------------------------------------------

# start_app SUFFIX LOCALE DATABASE [ENV=VALUE…]: starts Tesoro in LOCALE with
# the given environment on a fresh copy of DATABASE; sets $main.
start_app() {
  suffix=$1 run_locale=$2
  local from=$3
  shift 3
  echo "take-screenshots: ${suffix:-(English)} in $run_locale $*"
  cp "$from" "$tmp/run.db"
  rm -f "$tmp/tesoro.pid" "$tmp/tesoro.bus"
  (
    export TESORO_DB="$tmp/run.db"
    export GSETTINGS_SCHEMA_DIR="$builddir/data" GSETTINGS_BACKEND=memory
    export TESORO_LOCALEDIR="$builddir/po"
    export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache"
    export LANG="$run_locale" LC_ALL="$run_locale" LANGUAGE=""
    export GDK_BACKEND=x11 GSK_RENDERER=cairo NO_AT_BRIDGE=1
    for assignment in "$@"; do
      # "a11y" puts the app on the accessibility bus (find_control needs it).
      if [ "$assignment" = a11y ]; then unset NO_AT_BRIDGE; else export "${assignment?}"; fi
    done
    exec dbus-run-session -- sh -c 'echo "$DBUS_SESSION_BUS_ADDRESS" >"$2"; echo $$ >"$1"; exec "$3"' \
      sh "$tmp/tesoro.pid" "$tmp/tesoro.bus" "$tesoro"
  ) >"$tmp/tesoro.log" 2>&1 &
  for _ in $(seq 1 50); do [ -s "$tmp/tesoro.pid" ] && break; sleep 0.1; done
  app_pid=$(cat "$tmp/tesoro.pid")

  main=$(wait_window "$(tr_msg Tesoro)")
  xdotool windowmove "$main" 40 30
  xdotool windowsize "$main" "$WIDTH" "$HEIGHT"
  xdotool mousemove 1270 790   # the pointer away from the window: no hover effects
  pause 1.5
}

stop_app() {
  kill "$app_pid" 2>/dev/null || true
  app_pid=""
  pause 0.5
}

# run SUFFIX LOCALE [ENV=VALUE…]: every screen of the one-user demo database.
run() {
  local suffix_=$1 locale_=$2
  shift 2
  start_app "$suffix_" "$locale_" "$tmp/demo.db" "$@"
  shot_main_window
  shot_contact
  shot_actions_menu
  shot_preferences
  stop_app
}

# run_access SUFFIX LOCALE: the screens of access control, on the demo database
# with users: once signing in as Sales, once as the administrator.
run_access() {
  start_app "$1" "$2" "$tmp/access.db" a11y
  shot_sign_in
  shot_contact_sales
  stop_app
  start_app "$1" "$2" "$tmp/access.db" a11y
  shot_users_roles
  stop_app
}

# run_breaches SUFFIX LOCALE: the breach log with three breaches: one whose 72
# hours still run, one notified to the authority, one overdue; written in the
# run's language, as its users would.
run_breaches() {
  local as=(--db "$tmp/breaches.db") minute='+%Y-%m-%d %H:%M'
  cp "$db" "$tmp/breaches.db"
  if [ "$1" = -nl ]; then
    "$cli" "${as[@]}" breaches add --discovered "$(date -d '-80 hours' "$minute")" --people 1200 --records 1450 \
      --description "Back-up van de klantenlijst op een openbare server gezet" --categories "namen, e-mailadressen, telefoonnummers" \
      --consequences "Phishing uit naam van de organisatie" --measures "Server offline gehaald, toegang ingetrokken" >/dev/null
    "$cli" "${as[@]}" breaches add --discovered "$(date -d '-30 hours' "$minute")" --people 40 \
      --description "Laptop met klantgegevens gestolen uit een auto" --categories "namen, adressen" \
      --measures "Laptop op afstand gewist" >/dev/null
    "$cli" "${as[@]}" breaches add --discovered "$(date -d '-10 hours' "$minute")" --people 150 \
      --description "Nieuwsbrief met alle adressen in CC verstuurd" --categories "e-mailadressen" \
      --consequences "Ontvangers zien elkaars e-mailadres" --measures "Excuusmail; verzending via het mailprogramma" >/dev/null
    "$cli" "${as[@]}" breaches notify 2 --at "$(date -d '-6 hours' "$minute")" --reference "AP-2026-0117" >/dev/null
    breach_form_text="USB-stick met ledenadministratie verloren"
  else
    "$cli" "${as[@]}" breaches add --discovered "$(date -d '-80 hours' "$minute")" --people 1200 --records 1450 \
      --description "Customer list backup left on a public server" --categories "names, e-mail addresses, phone numbers" \
      --consequences "Phishing in the organisation's name" --measures "Server taken offline, access revoked" >/dev/null
    "$cli" "${as[@]}" breaches add --discovered "$(date -d '-30 hours' "$minute")" --people 40 \
      --description "Laptop with customer data stolen from a car" --categories "names, addresses" \
      --measures "Laptop wiped remotely" >/dev/null
    "$cli" "${as[@]}" breaches add --discovered "$(date -d '-10 hours' "$minute")" --people 150 \
      --description "Newsletter sent with every address in CC" --categories "e-mail addresses" \
      --consequences "Recipients see each other's addresses" --measures "Apology sent; mailings only through the mail service" >/dev/null
    "$cli" "${as[@]}" breaches notify 2 --at "$(date -d '-6 hours' "$minute")" --reference "AP-2026-0117" >/dev/null
    breach_form_text="USB stick with the membership list lost"
  fi
  start_app "$1" "$2" "$tmp/breaches.db" a11y
  shot_breaches
  stop_app
}

# run_register SUFFIX LOCALE: data minimisation and the register, on the demo
# database with birthdays switched off and the register filled in.
run_register() {
  start_app "$1" "$2" "$tmp/register.db" a11y
  shot_fields
  shot_register
  stop_app
}

make_register_db() {
  cp "$db" "$tmp/register.db"
  "$cli" --db "$tmp/register.db" fields off birthday >/dev/null
  "$cli" --db "$tmp/register.db" register controller "Bakkerij De Vries, Dorpsstraat 1, Utrecht" >/dev/null
  "$cli" --db "$tmp/register.db" register recipients add "Mailchimp (nieuwsbrief)" >/dev/null
}

# The demo database with users: the administrator (the account running this)
# gets a password, and three colleagues are added.
make_access_db() {
  cp "$db" "$tmp/access.db"
  admin_login=$(id -un) admin_password="Beheer-van-2026" sales_login=sanne sales_password="Verkoop-plan-2026"
  printf '%s\n' "$admin_password" >"$tmp/admin.pw"
  printf '%s\n' "$sales_password" >"$tmp/sales.pw"
  local as_admin=(--db "$tmp/access.db" --user "$admin_login" --password-file "$tmp/admin.pw")
  "$cli" --db "$tmp/access.db" users passwd "$admin_login" --password-file "$tmp/admin.pw" >/dev/null
  "$cli" "${as_admin[@]}" users add "$sales_login" --name "Sanne de Vries" --role sales --password-file "$tmp/sales.pw" >/dev/null
  "$cli" "${as_admin[@]}" users add pieter --name "Pieter Jansen" --role privacy-officer --password-file "$tmp/sales.pw" >/dev/null
  "$cli" "${as_admin[@]}" users add eva --name "Eva Bakker" --role read-only --password-file "$tmp/sales.pw" >/dev/null
}

# run_privacy SUFFIX LOCALE: the privacy office.
run_privacy() {
  start_app "$1" "$2" "$tmp/privacy.db" a11y
  shot_requests
  stop_app
}

# The demo database with requests: an erasure request past its deadline, an
# access request with its identity verified, a restriction due this week and
# an objection answered.
make_privacy_db() {
  cp "$db" "$tmp/privacy.db"
  local p=(--db "$tmp/privacy.db")
  days_ago() { date -d "-$1 days" +%F; }
  "$cli" "${p[@]}" requests add --kind erasure --received "$(days_ago 35)" --channel e-mail \
    --requester "Sophie de Vries <sophie.devries@example.nl>" --contact 3 >/dev/null
  "$cli" "${p[@]}" requests add --kind access --received "$(days_ago 12)" --channel letter \
    --requester "Jan de Boer" --contact 5 --language nl >/dev/null
  "$cli" "${p[@]}" requests verify 2 --method "Signed letter with a copy of his ID, copy destroyed" >/dev/null
  "$cli" "${p[@]}" requests add --kind restriction --received "$(days_ago 26)" --channel phone \
    --requester "Noor Bakker" --contact 8 >/dev/null
  "$cli" "${p[@]}" requests add --kind objection --received "$(days_ago 50)" --channel e-mail \
    --requester "Koen Dekker" --contact 9 >/dev/null
  "$cli" "${p[@]}" requests verify 4 --method "Replied from the address on file" >/dev/null
  "$cli" "${p[@]}" requests respond 4 >/dev/null
}

# GNOME's font, as on a GNOME desktop.
mkdir -p "$tmp/config/gtk-4.0"
if fc-list 2>/dev/null | grep -i cantarell >/dev/null; then
  printf '[Settings]\ngtk-font-name=Cantarell 11\n' >"$tmp/config/gtk-4.0/settings.ini"
else
  echo "take-screenshots: the Cantarell font is not installed (fonts-cantarell); using the default font"
fi

db="$tmp/demo.db"
"$cli" --db "$db" demo --count "$DEMO_COUNT" --seed "$DEMO_SEED" >/dev/null
contact_name=$(pick_contact)
[ -n "$contact_name" ] || die "the demo database has no contact to open"

# TESORO_SHOT_ONLY=main|access|privacy takes one group of screens only.
want() {
  [ -z "${TESORO_SHOT_ONLY:-}" ] || [ "$TESORO_SHOT_ONLY" = "$1" ]
}

english=en_US.UTF-8
locale -a 2>/dev/null | grep -i '^en_US\.utf-\?8$' >/dev/null || english=C.UTF-8
dutch=""
if locale -a 2>/dev/null | grep -i '^nl_NL\.utf-\?8$' >/dev/null; then
  dutch=nl_NL.UTF-8
else
  echo "take-screenshots: the nl_NL.UTF-8 locale is missing (build-aux/install-deps.sh generates it): no Dutch screenshots" >&2
fi

if want main; then
  run "" "$english"
  [ -z "$dutch" ] || run -nl "$dutch"
  run -dark "$english" ADW_DEBUG_COLOR_SCHEME=prefer-dark
fi

if want access; then
  make_access_db
  run_access "" "$english"
  [ -z "$dutch" ] || run_access -nl "$dutch"
fi

if want privacy; then
  make_privacy_db
  run_privacy "" "$english"
  [ -z "$dutch" ] || run_privacy -nl "$dutch"
  run_breaches "" "$english"
  [ -z "$dutch" ] || run_breaches -nl "$dutch"
  make_register_db
  run_register "" "$english"
  [ -z "$dutch" ] || run_register -nl "$dutch"
fi

echo "take-screenshots: done; the metainfo references $outdir/{main-window,contact,actions-menu,preferences}{,-nl}.png and contact-dark.png; access control: {sign-in,contact-sales,users,roles}{,-nl}.png; privacy office: {requests,request-page,breaches,breach-form,fields,register}{,-nl}.png"
