namespace Syndication.Config;

/// <summary>When a feed item's text is a teaser, fetch the article page and take its main content.</summary>
public enum FullTextMode { Auto, Always, Never }
