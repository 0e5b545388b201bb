using Microsoft.Playwright;

namespace Syndication.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium, driven by Playwright for .NET (its own browser download cannot reach the internet here). A missing
/// browser fails the test with how to install it; it never skips.
/// </summary>
sealed class ChromiumBrowser : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    public required IPlaywright Playwright { get; init; }
    public required IBrowser Browser { get; init; }

    public static async Task<ChromiumBrowser> LaunchAsync()
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"The browser tests need Chromium at {Executable}, and it is not there. Install Debian's package with "
                + "`sudo apt-get install -y chromium` (scripts/test.sh installs it when it runs as root), then run the tests again.");
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            // As the machine's notes say: without these, Chromium keeps trying to reach Google's hosts, which are closed here.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return new ChromiumBrowser { Playwright = playwright, Browser = browser };
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        Playwright.Dispose();
    }
}
