#!/usr/bin/env bash
# Draws Alter's app icon (two overlapping busts: a person and their twin) with
# ImageMagick, then lets the Tauri CLI derive every size into src-tauri/icons/.
# Usage: tools/make-icon.sh   (needs ImageMagick's /usr/bin/convert and `npm --prefix ui ci`)
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(mktemp --suffix=.png)
trap 'rm -f "$src"' EXIT
/usr/bin/convert -size 1024x1024 gradient:'#1d4f7c'-'#2b8a8a' \
  -fill 'rgba(255,255,255,0.35)' -stroke none -draw 'circle 612,420 612,290' \
  -draw 'ellipse 612,800 210,170 180,360' \
  -fill white -draw 'circle 432,430 432,300' -draw 'ellipse 432,810 210,170 180,360' \
  \( -size 1024x1024 xc:black -fill white -draw 'roundrectangle 64,64 960,960 200,200' \) \
  -alpha off -compose CopyOpacity -composite \
  "$src"
npx --prefix ui tauri icon "$src" -o src-tauri/icons
# Only Linux (deb) is bundled: drop the mobile and store assets the CLI also makes.
rm -rf src-tauri/icons/android src-tauri/icons/ios src-tauri/icons/Square*.png src-tauri/icons/StoreLogo.png
