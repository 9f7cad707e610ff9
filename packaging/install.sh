#!/bin/sh
# Install this Blocktrack Vault bundle for the current user: commands in ~/.local/bin, the
# menu entry, icons and credential file types in ~/.local/share. Nothing needs root.
# `./install.sh --uninstall` removes exactly what it added (the vault's data stays).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin="${XDG_BIN_HOME:-$HOME/.local/bin}"
share="${XDG_DATA_HOME:-$HOME/.local/share}"
name=blocktrack-vault
files="applications/$name.desktop mime/packages/$name.xml icons/hicolor/scalable/apps/$name.svg"
for size in 16 24 32 48 64 128 256; do files="$files icons/hicolor/${size}x${size}/apps/$name.png"; done

if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$bin/$name" "$bin/vault"
    for f in $files; do rm -f "$share/$f"; done
else
    mkdir -p "$bin"
    ln -sf "$here/lib/$name" "$bin/$name"
    ln -sf "$here/lib/$name" "$bin/vault"
    for f in $files; do
        mkdir -p "$share/$(dirname "$f")"
        cp "$here/share/$f" "$share/$f"
    done
    # The menu entry runs the installed command by its full path (~/.local/bin may not be on PATH).
    sed -i "s|^Exec=$name |Exec=$bin/$name |" "$share/applications/$name.desktop"
fi
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$share/applications" || true
command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$share/mime" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
if [ "${1:-}" = "--uninstall" ]; then
    echo "Removed. Your vault's data is kept in ~/.local/share/blocktrack-vault (delete it yourself if you mean to)."
else
    echo "Installed: 'Blocktrack Vault' is in your applications menu; commands: $bin/$name, $bin/vault"
fi
