using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Syndication.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddSyndication(builder.Configuration);
builder.Build().Run();
