#!/usr/bin/env bash
# Builds the libFuzzer harnesses (Fuzz/Harnesses/*.swift) into .build/fuzz/bin/.
#
# The harnesses are not SwiftPM targets, so `swift build` never sees them: this script compiles
# the package's own module sources with swiftc, instrumented for libFuzzer and AddressSanitizer
# (`-sanitize=fuzzer,address`), one module at a time, lowest first, then links each harness
# against the modules it imports. The modules, their dependencies and flags come from
# Package.swift (Fuzz/package-modules.py reads `swift package dump-package`). A module is
# recompiled only when one of its sources, a module below it, or this script changed.
#
# Usage: Fuzz/build.sh [HARNESS...]   (default: every harness in Fuzz/Harnesses)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
swift=${SWIFT:-swift}
swiftc=${SWIFTC:-swiftc}
# The C targets' compiler: clang from PATH, else the one beside swiftc in the toolchain.
clang=${CLANG:-clang}
command -v "$clang" >/dev/null 2>&1 || clang="$(dirname "$(command -v "$swiftc")")/clang"
out="$root/.build/fuzz"
modules="$out/modules"
mkdir -p "$modules" "$out/bin"

declare -A deps=() flags=() directory=() c_module=()
order=() includes=() packages=()
while IFS='|' read -r kind name path rest1 rest2; do
  if [ "$kind" = system ]; then
    includes+=(-I "$root/$path")
    [ -n "$rest1" ] && packages+=("$rest1")
  else
    if [ "$kind" = cmodule ]; then c_module[$name]=1; includes+=(-I "$root/$path/include"); fi
    order+=("$name"); directory[$name]="$root/$path"; deps[$name]="$rest1"; flags[$name]="$rest2"
  fi
done < <(cd "$root" && "$swift" package dump-package | python3 "$root/Fuzz/package-modules.py")
[ ${#order[@]} -gt 0 ] || { echo "fuzz build: could not read the modules from Package.swift" >&2; exit 1; }

# Optimised like a release build, but with bounds and overflow checks on everywhere (no
# -Ounchecked): a parser bug must trap where it happens, and ASan catches what gets past.
# shellcheck disable=SC2046
common=(-O -whole-module-optimization -swift-version 6 -sanitize=fuzzer,address -I "$modules" "${includes[@]}"
        $(pkg-config --cflags-only-I "${packages[@]}" | sed 's/-I/-Xcc -I/g'))
# lld: gold warns about every ASan register-check symbol the harness exports.
# shellcheck disable=SC2207
libs=(-use-ld=lld $(pkg-config --libs "${packages[@]}"))

# The modules a harness needs: the ones its `import` lines name, and everything below them.
needed() {
  local wanted=() m d changed=1
  for m in $(sed -n 's/^import \([A-Za-z]*\).*/\1/p' "$1"); do
    [[ -n "${deps[$m]+x}" ]] && wanted+=("$m")
  done
  while [ $changed -eq 1 ]; do
    changed=0
    for m in "${wanted[@]}"; do
      for d in ${deps[$m]}; do
        [[ " ${wanted[*]} " == *" $d "* ]] || { wanted+=("$d"); changed=1; }
      done
    done
  done
  for m in "${order[@]}"; do [[ " ${wanted[*]} " == *" $m "* ]] && echo "$m"; done
}

# A stamp marks a finished compile: swiftc keeps an output's old time when its bytes are unchanged.
build_module() {
  local m=$1 object="$modules/$1.o" stamp="$modules/$1.stamp"
  local sources=() s
  local pattern='*.swift'
  [[ -n "${c_module[$m]+x}" ]] && pattern='*.c'
  while IFS= read -r s; do sources+=("$s"); done < <(find "${directory[$m]}" -name "$pattern" | sort)
  if [ -f "$stamp" ]; then
    local stale=0 d
    [ -n "$(find "${directory[$m]}" "$0" "$root/Package.swift" -newer "$stamp" -print -quit)" ] && stale=1
    for d in ${deps[$m]}; do [ "$modules/$d.stamp" -nt "$stamp" ] && stale=1; done
    [ $stale -eq 0 ] && return 0
  fi
  echo "fuzz build: module $m (${#sources[@]} files)" >&2
  if [[ -n "${c_module[$m]+x}" ]]; then
    # A C target: each file instrumented like the Swift modules, then one relocatable object.
    local c_objects=()
    for s in "${sources[@]}"; do
      "$clang" -O2 -fsanitize=fuzzer-no-link,address -I "${directory[$m]}/include" -c "$s" -o "$modules/$m-$(basename "$s" .c).o"
      c_objects+=("$modules/$m-$(basename "$s" .c).o")
    done
    ld -r -o "$object" "${c_objects[@]}"
    touch "$stamp"
    return 0
  fi
  # shellcheck disable=SC2086
  "$swiftc" "${common[@]}" ${flags[$m]} -parse-as-library -module-name "$m" \
    -emit-module -emit-module-path "$modules/$m.swiftmodule" -c -o "$object" "${sources[@]}"
  touch "$stamp"
}

harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  for f in "$root"/Fuzz/Harnesses/*.swift; do harnesses+=("$(basename "$f" .swift)"); done
fi
for h in "${harnesses[@]}"; do
  source_file="$root/Fuzz/Harnesses/$h.swift"
  [ -f "$source_file" ] || { echo "fuzz build: no harness '$h' (Fuzz/Harnesses/$h.swift does not exist)" >&2; exit 2; }
  objects=()
  for m in $(needed "$source_file"); do build_module "$m"; objects+=("$modules/$m.o"); done
  binary="$out/bin/$h"
  fresh=1
  [ -f "$binary" ] || fresh=0
  for m in $(needed "$source_file"); do [ "$modules/$m.stamp" -nt "$binary" ] && fresh=0; done
  [ "$source_file" -nt "$binary" ] && fresh=0
  [ $fresh -eq 1 ] && continue
  echo "fuzz build: harness $h" >&2
  "$swiftc" "${common[@]}" -parse-as-library -module-name "Fuzz_$h" "$source_file" "${objects[@]}" "${libs[@]}" -o "$binary"
done
