namespace Syndication.Config;

/// <summary>The parts of an article a rule can look at. Rules look at title, summary and text unless they say otherwise.</summary>
[Flags]
public enum ArticleField
{
    None = 0,
    Title = 1,
    Summary = 2,
    Text = 4,
    Author = 8,
    Categories = 16,
    Link = 32,
    Default = Title | Summary | Text,
}

public static class ArticleFields
{
    /// <summary>The names editors write in <c>fields</c>, in the order explanations list them.</summary>
    public static readonly IReadOnlyList<(string Name, ArticleField Field)> All =
    [
        ("title", ArticleField.Title), ("summary", ArticleField.Summary), ("text", ArticleField.Text),
        ("author", ArticleField.Author), ("categories", ArticleField.Categories), ("link", ArticleField.Link),
    ];
}
