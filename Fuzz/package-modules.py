"""Prints the package's library modules for Fuzz/build.sh, read from Package.swift (through
`swift package dump-package` JSON on stdin), lowest first, one per line, separated by "|":

    module NAME SOURCE_DIR DEPENDENCIES FLAGS     (the modules it imports; its unsafe flags on Linux)
    cmodule NAME SOURCE_DIR                       (a C target: its .c files, its module map in include/)
    system NAME DIRECTORY PKG_CONFIG_NAME         (a C library's module map)

`-Ounchecked` is left out on purpose: the fuzz build keeps every check, so a bug traps where it is.
"""
import glob
import json
import sys

package = json.load(sys.stdin)
targets = {t["name"]: t for t in package["targets"] if t["type"] in ("regular", "system")}
for name, target in targets.items():
    if target["type"] == "system":
        print("|".join(["system", name, target.get("path") or f"Sources/{name}", target.get("pkgConfig") or ""]))


def dependencies(target):
    names = []
    for dependency in target["dependencies"]:
        kind, value = next(iter(dependency.items()))
        if kind in ("byName", "target") and value[0] in targets and targets[value[0]]["type"] == "regular":
            names.append(value[0])
    return names


def flags(target):
    result = []
    for setting in target.get("settings", []):
        kind = setting["kind"]
        condition = setting.get("condition") or {}
        if "unsafeFlags" not in kind or condition.get("config") == "debug":
            continue
        platforms = condition.get("platformNames") or []
        if platforms and "linux" not in platforms:
            continue
        result += [flag for flag in kind["unsafeFlags"]["_0"] if flag != "-Ounchecked"]
    return result


done = []
def visit(name):
    if name in done:
        return
    for dependency in dependencies(targets[name]):
        visit(dependency)
    done.append(name)
    target = targets[name]
    path = target.get("path") or f"Sources/{name}"
    kind = "cmodule" if glob.glob(f"{path}/*.c") else "module"
    print("|".join([kind, name, path, " ".join(dependencies(target)), " ".join(flags(target))]))


for name, target in targets.items():
    if target["type"] == "regular" and not (target.get("path") or "").startswith("Tests/"):
        visit(name)
