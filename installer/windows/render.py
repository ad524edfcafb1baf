#!/usr/bin/env python3
"""Render installer/windows/main.wxs the way the Tauri bundler does, for a wixl build on Linux.

The Tauri bundler renders the WiX template with Handlebars and a fixed set of names (see
tauri-bundler's windows/msi/mod.rs). This script computes the same names from
src-tauri/tauri.conf.json, takes the paths of the payload from the command line, and renders
the template with the part of Handlebars the template uses: {{name}}, {{this}},
{{this.field}}, #if, #unless, else and #each. A name the bundler does not provide, or any other
Handlebars construct, is an error, so the template cannot drift from what Tauri can render.

    render.py --app-exe A --bootstrapper B [--icon I] [--config C] [--template T] [--wixl-sql F]

With --wixl-sql, the rendered XML is also fitted to wixl (msitools 0.101), which stops at some
WiX v3 elements: those are taken out, and the rows light would have made from them are written
to F as SQL for `msibuild -q` (build-msi.sh runs it on wixl's MSI).
"""

import argparse
import json
import os
import re
import sys
import uuid
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Every name the Tauri bundler may give a WiX template.
TAURI_NAMES = {
    "allow_downgrades", "banner_path", "binaries", "bundle_id", "component_group_refs",
    "component_refs", "deep_link_protocols", "dialog_image_path", "download_bootstrapper",
    "enable_elevated_update_task", "feature_group_refs", "feature_refs", "file_associations",
    "homepage", "icon_path", "install_webview", "license", "long_description", "main_binary_name",
    "main_binary_path", "manufacturer", "merge_modules", "merge_refs", "minimum_webview2_version",
    "msiexec_args", "path_component_guid", "product_name", "resource_file_ids", "resources",
    "shortcut_guid", "upgrade_code", "version", "webview2_bootstrapper_path",
    "webview2_installer_path", "webview_installer_args",
}

# tauri-bundler's namespace for the v5 UUIDs it derives from the bundle identifier.
TAURI_UUID_NAMESPACE = uuid.UUID("fd8595a8-17a3-474e-a616-76148dfa0c7b")


class RenderError(Exception):
    pass


def wix_version(version):
    """Tauri's convert_version: major.minor.patch, with a numeric pre-release or build as the
    fourth field."""
    m = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?", version)
    if not m:
        raise RenderError(f"version {version!r} is not a semantic version")
    major, minor, patch, pre, build = m.groups()
    extra = build or pre
    if extra is not None:
        if not extra.isdigit() or int(extra) > 65535:
            raise RenderError("a pre-release or build in the version must be a number up to 65535")
        return f"{major}.{minor}.{patch}.{extra}"
    return f"{major}.{minor}.{patch}"


def tauri_data(config_path, app_exe, bootstrapper, icon=None):
    """The names the Tauri bundler computes, from tauri.conf.json (tauri-bundler 2.x)."""
    with open(config_path, encoding="utf-8") as f:
        config = json.load(f)
    config_dir = os.path.dirname(os.path.abspath(config_path))
    bundle = config.get("bundle", {})
    windows = bundle.get("windows", {})
    wix = windows.get("wix") or {}
    identifier = config["identifier"]
    product_name = config["productName"]

    if bundle.get("resources") or bundle.get("externalBin"):
        raise RenderError("render.py does not lay out bundle.resources or bundle.externalBin")
    if wix.get("enableElevatedUpdateTask") or wix.get("fragmentPaths"):
        raise RenderError("render.py does not build the update task or WiX fragments")

    icons = [i for i in bundle.get("icon", []) if i.endswith(".ico")]
    if not icons:
        raise RenderError("bundle.icon has no .ico file")

    data = {
        "product_name": product_name,
        "version": wix.get("version") or wix_version(config["version"]),
        "long_description": bundle.get("longDescription", ""),
        "homepage": bundle.get("homepage"),
        "bundle_id": identifier,
        "manufacturer": bundle.get("publisher") or identifier.split(".")[1],
        "upgrade_code": wix.get("upgradeCode")
        or str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{product_name}.exe.app.x64")),
        "allow_downgrades": windows.get("allowDowngrades", True),
        "path_component_guid": str(uuid.uuid5(TAURI_UUID_NAMESPACE, identifier)),
        "shortcut_guid": str(uuid.uuid5(TAURI_UUID_NAMESPACE, identifier)),
        "binaries": [],
        "resources": "",
        "resource_file_ids": [],
        "merge_modules": [],
        "main_binary_name": config.get("mainBinaryName", product_name),
        "main_binary_path": app_exe,
        "icon_path": icon or os.path.normpath(os.path.join(config_dir, icons[0])),
        "component_group_refs": wix.get("componentGroupRefs", []),
        "component_refs": wix.get("componentRefs", []),
        "feature_group_refs": wix.get("featureGroupRefs", []),
        "feature_refs": wix.get("featureRefs", []),
        "merge_refs": wix.get("mergeRefs", []),
        "minimum_webview2_version": windows.get("minimumWebview2Version"),
    }

    mode = windows.get("webviewInstallMode") or {"type": "downloadBootstrapper"}
    silent = mode.get("silent", True)
    data["install_webview"] = mode["type"] not in ("skip", "fixedRuntime")
    data["webview_installer_args"] = "/silent" if silent else ""
    if mode["type"] == "downloadBootstrapper":
        data["download_bootstrapper"] = True
        data["webview_installer_args"] = "&apos;/silent&apos;," if silent else ""
    elif mode["type"] == "embedBootstrapper":
        data["webview2_bootstrapper_path"] = bootstrapper
    elif mode["type"] == "offlineInstaller":
        data["webview2_installer_path"] = bootstrapper
    return data


TOKEN = re.compile(r"\{\{(.*?)\}\}", re.S)


def parse(template):
    """A tree of text, variables and blocks: ("text", s), ("var", name),
    ("block", kind, name, then, otherwise)."""
    root = []
    stack = [("root", None, root, None)]  # kind, name, current list, then-list when in else
    pos = 0
    for m in TOKEN.finditer(template):
        stack[-1][2].append(("text", template[pos:m.start()]))
        pos = m.end()
        tag = m.group(1).strip()
        line = template.count("\n", 0, m.start()) + 1
        if tag.startswith("#"):
            parts = tag[1:].split()
            if len(parts) != 2 or parts[0] not in ("if", "unless", "each"):
                raise RenderError(f"line {line}: unsupported block {{{{{tag}}}}}")
            stack.append((parts[0], parts[1], [], None))
        elif tag == "else":
            kind, name, current, then = stack[-1]
            if kind not in ("if", "unless", "each") or then is not None:
                raise RenderError(f"line {line}: {{{{else}}}} outside a block")
            stack[-1] = (kind, name, [], current)
        elif tag.startswith("/"):
            kind, name, current, then = stack.pop()
            if tag[1:] != kind:
                raise RenderError(f"line {line}: {{{{{tag}}}}} closes #{kind}")
            node = ("block", kind, name, then if then is not None else current,
                    current if then is not None else [])
            stack[-1][2].append(node)
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?", tag):
            stack[-1][2].append(("var", tag))
        else:
            raise RenderError(f"line {line}: unsupported expression {{{{{tag}}}}}")
    if len(stack) != 1:
        raise RenderError(f"#{stack[-1][0]} {stack[-1][1]} is not closed")
    root.append(("text", template[pos:]))
    return root


def lookup(name, data, this):
    if name == "this" or name.startswith("this."):
        value = this
        for part in name.split(".")[1:]:
            value = value.get(part) if isinstance(value, dict) else None
        return value
    if name not in TAURI_NAMES:
        raise RenderError(f"{{{{{name}}}}} is not a name the Tauri bundler gives a WiX template")
    return data.get(name)


def truthy(value):
    return value not in (None, False, "", 0) and value != [] and value != {}


def render(nodes, data, this=None):
    out = []
    for node in nodes:
        if node[0] == "text":
            out.append(node[1])
        elif node[0] == "var":
            value = lookup(node[1], data, this)
            if isinstance(value, bool):
                value = "true" if value else "false"
            out.append("" if value is None else str(value))
        else:
            _, kind, name, then, otherwise = node
            value = lookup(name, data, this)
            if kind == "each":
                items = value or []
                if items:
                    for item in items:
                        out.append(render(then, data, item))
                else:
                    out.append(render(otherwise, data, this))
            else:
                chosen = truthy(value) if kind == "if" else not truthy(value)
                out.append(render(then if chosen else otherwise, data, this))
    return "".join(out)


WIX_NS = "http://schemas.microsoft.com/wix/2006/wi"
W = "{" + WIX_NS + "}"

# Attributes wixl ignores, with what that means for the check MSI.
WIXL_IGNORES = {
    ("Package", "InstallPrivileges"): "the Word Count summary flag for installs without elevation",
    ("MajorUpgrade", "Schedule"): "where RemoveExistingProducts runs",
    ("MajorUpgrade", "AllowDowngrades"): "the Upgrade row allowing a downgrade",
    ("MajorUpgrade", "AllowSameVersionUpgrades"): "the Upgrade row's inclusive maximum",
    ("File", "Checksum"): "the executable checksum check",
}


# Windows Installer's suggested sequence numbers of the actions a custom action may be placed by.
STANDARD_SEQUENCE = {"InstallInitialize": 1500, "InstallFiles": 4000,
                     "WriteRegistryValues": 5000, "InstallFinalize": 6600}


def sql_text(value):
    if "'" in value:
        raise RenderError(f"a value for msibuild cannot hold a single quote: {value!r}")
    return "'" + value + "'"


def for_wixl(xml_text):
    """Take out of the rendered WiX what wixl cannot build; return the XML, the SQL adding the
    same rows, and notes on what wixl ignores."""
    if "<?error" in xml_text:
        raise RenderError("the rendered template stops with an error: " +
                          xml_text.split("<?error", 1)[1].split("?>", 1)[0].strip())
    ET.register_namespace("", WIX_NS)
    root = ET.fromstring(xml_text)
    sql, notes, secure = [], [], []
    parents = {child: parent for parent in root.iter() for child in parent}

    for (element, attribute), meaning in WIXL_IGNORES.items():
        for node in root.iter(W + element):
            if attribute in node.attrib:
                del node.attrib[attribute]
                note = f"wixl ignores {element}/@{attribute} ({meaning})"
                if note not in notes:
                    notes.append(note)

    for node in root.iter(W + "Property"):
        if node.attrib.pop("Secure", None) == "yes":
            secure.append(node.attrib["Id"])
    if secure:
        # wixl lists only the major upgrade's properties there; light adds the Secure ones.
        if root.find(f".//{W}MajorUpgrade") is not None:
            secure += ["WIX_UPGRADE_DETECTED", "WIX_DOWNGRADE_DETECTED"]
        sql.append("DELETE FROM `Property` WHERE `Property` = 'SecureCustomProperties'")
        sql.append("INSERT INTO `Property` (`Property`, `Value`) VALUES "
                   f"('SecureCustomProperties', {sql_text(';'.join(secure))})")

    # wixl writes HKMU as root 4, which is no root; Windows Installer's HKMU is -1.
    if any(n.attrib.get("Root") == "HKMU" for n in root.iter(W + "RegistryValue")):
        sql.append("UPDATE `Registry` SET `Root` = -1 WHERE `Root` = 4")

    # wixl cannot store an executable from the Binary table as a custom action (type 2).
    for node in list(root.iter(W + "CustomAction")):
        if "BinaryKey" not in node.attrib or "ExeCommand" not in node.attrib:
            continue
        execute = {"immediate": 0, "deferred": 0x400}.get(node.attrib.get("Execute", "immediate"))
        returns = {"check": 0, "ignore": 0x40}.get(node.attrib.get("Return", "check"))
        if execute is None or returns is None:
            raise RenderError(f"render.py does not translate custom action {node.attrib['Id']}")
        kind = 2 | execute | returns
        if node.attrib.get("Impersonate", "yes") == "no":
            kind |= 0x800
        parents[node].remove(node)
        sql.append("INSERT INTO `CustomAction` (`Action`, `Type`, `Source`, `Target`) VALUES "
                   f"({sql_text(node.attrib['Id'])}, {kind}, "
                   f"{sql_text(node.attrib['BinaryKey'])}, {sql_text(node.attrib['ExeCommand'])})")

    # wixl puts a custom action scheduled Before/After a standard action early in the sequence.
    for custom in root.iter(W + "Custom"):
        anchor = custom.attrib.get("Before") or custom.attrib.get("After")
        if anchor not in STANDARD_SEQUENCE:
            raise RenderError(f"render.py does not know where wixl schedules {anchor}")
        number = STANDARD_SEQUENCE[anchor] + (-1 if "Before" in custom.attrib else 1)
        sql.append(f"UPDATE `{parents[custom].tag[len(W):]}` SET `Sequence` = {number} "
                   f"WHERE `Action` = {sql_text(custom.attrib['Action'])}")

    conditions = [(parents[c], c) for c in root.iter(W + "Condition")
                  if parents[c].tag == W + "Feature"]
    if conditions:
        sql.append("CREATE TABLE `Condition` (`Feature_` CHAR(38) NOT NULL, "
                   "`Level` SHORT NOT NULL, `Condition` CHAR(255) "
                   "PRIMARY KEY `Feature_`, `Level`)")
    for feature, condition in conditions:
        feature.remove(condition)
        sql.append("INSERT INTO `Condition` (`Feature_`, `Level`, `Condition`) VALUES "
                   f"({sql_text(feature.attrib['Id'])}, {int(condition.attrib['Level'])}, "
                   f"{sql_text(condition.text.strip())})")

    properties = [(parents[p], p) for p in root.iter(W + "ShortcutProperty")]
    if properties:
        sql.append("CREATE TABLE `MsiShortcutProperty` (`MsiShortcutProperty` CHAR(72) NOT NULL, "
                   "`Shortcut_` CHAR(72) NOT NULL, `PropertyKey` CHAR(0) NOT NULL, "
                   "`PropVariantValue` CHAR(0) NOT NULL PRIMARY KEY `MsiShortcutProperty`)")
    for shortcut, prop in properties:
        shortcut.remove(prop)
        sql.append("INSERT INTO `MsiShortcutProperty` "
                   "(`MsiShortcutProperty`, `Shortcut_`, `PropertyKey`, `PropVariantValue`) "
                   f"VALUES ({sql_text(prop.attrib['Id'])}, {sql_text(shortcut.attrib['Id'])}, "
                   f"{sql_text(prop.attrib['Key'])}, {sql_text(prop.attrib['Value'])})")

    xml_out = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")
    return xml_out + "\n", sql, notes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=os.path.join(ROOT, "src-tauri", "tauri.conf.json"))
    parser.add_argument("--template", default=os.path.join(HERE, "main.wxs"))
    parser.add_argument("--app-exe", required=True, help="the app's .exe (main_binary_path)")
    parser.add_argument("--bootstrapper", required=True,
                        help="the WebView2 bootstrapper or installer the MSI embeds")
    parser.add_argument("--icon", help="where the .ico of bundle.icon was copied (icon_path)")
    parser.add_argument("--wixl-sql", help="fit the output to wixl; write the SQL to this file")
    args = parser.parse_args()
    try:
        data = tauri_data(args.config, args.app_exe, args.bootstrapper, args.icon)
        with open(args.template, encoding="utf-8") as f:
            wxs = render(parse(f.read()), data)
        try:
            ET.fromstring(wxs)
        except ET.ParseError as e:
            raise RenderError(f"the rendered template is not well-formed XML: {e}") from e
        if args.wixl_sql:
            wxs, sql, notes = for_wixl(wxs)
            with open(args.wixl_sql, "w", encoding="utf-8") as f:
                f.write("".join(line + "\n" for line in sql))
            for note in notes:
                print(f"render.py: {note}", file=sys.stderr)
        sys.stdout.write(wxs)
    except (RenderError, KeyError, OSError, ValueError, ET.ParseError) as e:
        print(f"render.py: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
