using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Syndication.Functions;
using Syndication.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddSyndication(builder.Configuration).RequireDeployedSettings(builder.Configuration);
// The app's own lines, and only warnings and errors from the libraries under it (the worker logs at Information).
builder.Logging.AddSyndicationFilters();
builder.Services.AddSyndicationTelemetry(builder.Configuration);
builder.Build().Run();
