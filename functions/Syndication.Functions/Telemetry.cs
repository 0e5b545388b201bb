using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Resources;
using Syndication.Delivery;

namespace Syndication.Functions;

/// <summary>
/// The app's logs, traces and <c>Syndication</c> meter, exported with OpenTelemetry: to Application Insights when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (authenticated by the app's managed identity, since the
/// resource accepts no instrumentation key alone), and to any OTLP endpoint when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public static class Telemetry
{
    public const string ServiceName = "syndication";

    public static IOpenTelemetryBuilder AddSyndicationTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics => metrics.AddMeter(DeliveryMetrics.MeterName))
            .WithTracing(tracing => tracing.AddSource("Microsoft.Azure.Functions.Worker"))
            .UseFunctionsWorkerDefaults();
        if (!string.IsNullOrWhiteSpace(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
            telemetry.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
                options.Credential = Credential(configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
            });
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            telemetry.UseOtlpExporter();
        return telemetry;
    }

    /// <summary>
    /// The identity named in <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> (<c>ClientId=…;Authorization=AAD</c>, as the
    /// Functions host reads it), else the app's system identity.
    /// </summary>
    static TokenCredential Credential(string? authentication)
    {
        var clientId = (authentication ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2)).Where(kv => kv.Length == 2 && kv[0].Equals("ClientId", StringComparison.OrdinalIgnoreCase))
            .Select(kv => kv[1]).FirstOrDefault();
        return clientId is null
            ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
    }
}
