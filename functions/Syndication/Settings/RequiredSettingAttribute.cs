namespace Syndication.Settings;

/// <summary>
/// Marks an options property that a deployed app cannot run without. The infrastructure tests check that the Bicep
/// template and <c>local.settings.sample.json</c> set every such setting, so renaming one breaks the build, not the deployment.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredSettingAttribute : Attribute;
