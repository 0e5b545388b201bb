#!/usr/bin/env bash
# Installs the `syndication` command from this clone as a .NET tool in ~/.dotnet/tools, or updates it to the clone's
# code: run it again after pulling changes. Each install gets its own version, so the NuGet cache never serves an old
# build; the previous local builds are removed from it.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=$(mktemp -d "${TMPDIR:-/tmp}/syndication-tool.XXXXXX")
trap 'rm -rf "$packages"' EXIT
version="1.0.0-local.$(date -u +%Y%m%d%H%M%S)"
echo "Packing syndication $version..." >&2
# The tests pack the build they just made (SYNDICATION_INSTALL_NO_BUILD=1) instead of building it again.
build=(); [ -n "${SYNDICATION_INSTALL_NO_BUILD:-}" ] && build=(--no-build)
dotnet pack functions/Syndication.Cli --configuration "${SYNDICATION_INSTALL_CONFIGURATION:-Release}" "${build[@]}" --output "$packages" \
  -p:PackageVersion="$version" --nologo -v quiet >&2
dotnet tool update --global --add-source "$packages" --version "$version" Syndication.Cli >/dev/null
cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}/syndication.cli"
for old in "$cache"/1.0.0-local.*; do [ "$old" = "$cache/$version" ] || rm -rf "$old"; done
echo "Installed syndication $version in $HOME/.dotnet/tools."
case ":$PATH:" in
  *":$HOME/.dotnet/tools:"*) ;;
  *) echo "That folder is not on your PATH yet; add it with: export PATH=\"\$PATH:\$HOME/.dotnet/tools\" (and in ~/.bashrc to keep it)." ;;
esac
