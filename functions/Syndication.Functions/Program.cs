using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Syndication.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddSyndication(builder.Configuration);
// Azure.Core logs every expected 404 and 409 (a blob not there yet, a container that exists) as a warning; the app
// reports real storage failures itself.
builder.Logging.AddFilter("Azure.Core", LogLevel.Error);
builder.Build().Run();
