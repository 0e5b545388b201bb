#!/usr/bin/env bash
# Installs the `syndication` command from this clone as a .NET tool in ~/.dotnet/tools, or updates it to the clone's
# code: run it again after pulling changes. It is packed for this machine's platform and precompiled (ReadyToRun), so
# it starts faster than a plain build. Each install gets its own version, so the NuGet cache never serves an old build;
# the previous local builds are removed from it.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=$(mktemp -d "${TMPDIR:-/tmp}/syndication-tool.XXXXXX")
trap 'rm -rf "$packages"' EXIT
version="1.0.0-local.$(date -u +%Y%m%d%H%M%S)"
echo "Packing syndication $version..." >&2
if [ -n "${SYNDICATION_INSTALL_NO_BUILD:-}" ]; then
  # The tests pack the plain build they just made, for any platform, instead of building it again.
  how=(--no-build)
else
  rid=$(dotnet --info | awk '/^ *RID:/ { print $2; exit }')
  how=(-p:RuntimeIdentifiers="$rid" -p:ToolPackageRuntimeIdentifiers="$rid" -p:PublishReadyToRun=true)
fi
dotnet pack functions/Syndication.Cli --configuration "${SYNDICATION_INSTALL_CONFIGURATION:-Release}" "${how[@]}" --output "$packages" \
  -p:PackageVersion="$version" --nologo -v quiet >&2
dotnet tool update --global --add-source "$packages" --version "$version" Syndication.Cli >/dev/null
cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}/syndication.cli"
for old in "$cache"/1.0.0-local.*; do [ "$old" = "$cache/$version" ] || rm -rf "$old"; done
echo "Installed syndication $version in $HOME/.dotnet/tools."
case ":$PATH:" in
  *":$HOME/.dotnet/tools:"*) ;;
  *) echo "That folder is not on your PATH yet; add it with: export PATH=\"\$PATH:\$HOME/.dotnet/tools\" (and in ~/.bashrc to keep it)." ;;
esac
