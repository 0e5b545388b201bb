namespace Syndication.Tests.Infrastructure;

/// <summary>Paths inside the repository and the test output, found from the running test assembly.</summary>
static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string TestData(string relative) => Path.Combine(AppContext.BaseDirectory, "testdata", relative);

    /// <summary>Debug or Release: whatever this test assembly was built as, so sibling outputs are found in the same flavour.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Syndication.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Syndication.sln not found above {AppContext.BaseDirectory}");
    }
}
