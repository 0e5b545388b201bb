namespace Syndication.Storage;

/// <summary>Article storage as a whole could not be reached or is not configured; nothing can run without it.</summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
