using 'main.bicep'

// azd fills these from its environment; with plain `az deployment group create`, export them first.
param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'syndication')
param location = readEnvironmentVariable('AZURE_LOCATION', 'westeurope')
param telegramBotToken = readEnvironmentVariable('TELEGRAM_BOT_TOKEN')
param telegramWebhookSecret = readEnvironmentVariable('TELEGRAM_WEBHOOK_SECRET', '')
param telegramApiBaseUrl = readEnvironmentVariable('TELEGRAM_API_BASE_URL', '')
param principalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')
