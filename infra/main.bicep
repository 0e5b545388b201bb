// Syndication on Azure: a Flex Consumption function app that sweeps news feeds and alerts Telegram channels.
// Everything is reached by one user-assigned managed identity; the storage account accepts no shared keys.
targetScope = 'resourceGroup'

@description('Name of the environment (azd sets it); used to derive resource names.')
@minLength(1)
@maxLength(40)
param environmentName string

@description('Azure region for every resource.')
param location string = resourceGroup().location

@description('The Telegram bot token from @BotFather. Stored in Key Vault; the app reads it through a Key Vault reference.')
@secure()
@minLength(10)
param telegramBotToken string

@description('Optional self-hosted Telegram Bot API server (scheme, host and port); empty uses api.telegram.org.')
param telegramApiBaseUrl string = ''

@description('NCRONTAB schedule of the sweep, in UTC on Flex Consumption.')
param pollSchedule string = '0 */5 * * * *'

@description('NCRONTAB schedule of the outbox drain, which sends alerts held back by an outage or flood control between sweeps.')
param deliverSchedule string = '0 * * * * *'

@description('Upper bound of instances the app may scale out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of each instance, in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Days after which stored articles and delivery records are deleted. They move to the cool tier after a third of that.')
@minValue(3)
param articleRetentionDays int = 90

@description('Object id of the person or pipeline deploying, granted Storage Blob Data Contributor so that `syndication config push` works. Empty grants nothing.')
param principalId string = ''

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = { 'azd-env-name': environmentName }
var containerNames = ['articles', 'feeds', 'outbox', 'deliveries', 'deadletter', 'config', 'quarantine']
var deploymentContainer = 'app-package'

// Built-in role definition ids: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-syndication-${token}'
  location: location
  tags: tags
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-syndication-${token}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-syndication-${token}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stsynd${token}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [
  for name in concat(containerNames, [deploymentContainer]): {
    parent: blobs
    name: name
    properties: { publicAccess: 'None' }
  }
]

// Articles and delivery records grow with every sweep; old ones are tiered, then deleted.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'expire-old-articles'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: ['blockBlob']
              prefixMatch: ['articles/', 'deliveries/']
            }
            actions: {
              baseBlob: {
                tierToCool: { daysAfterModificationGreaterThan: articleRetentionDays / 3 }
                delete: { daysAfterModificationGreaterThan: articleRetentionDays }
              }
            }
          }
        }
      ]
    }
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-synd-${token}'
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }
}

resource botToken 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'telegram-bot-token'
  properties: { value: telegramBotToken }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-syndication-${token}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

var appSettings = [
  // The host's own storage, by identity.
  { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
  { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
  { name: 'AzureWebJobsStorage__blobServiceUri', value: storage.properties.primaryEndpoints.blob }
  // Syndication's articles, outbox and config, by the same identity.
  { name: 'ArticleStorage__serviceUri', value: storage.properties.primaryEndpoints.blob }
  { name: 'ArticleStorage__credential', value: 'managedidentity' }
  { name: 'ArticleStorage__clientId', value: identity.properties.clientId }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
  {
    name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
    value: 'ClientId=${identity.properties.clientId};Authorization=AAD'
  }
  { name: 'PollSchedule', value: pollSchedule }
  { name: 'DeliverSchedule', value: deliverSchedule }
  { name: 'Telegram__BotToken', value: '@Microsoft.KeyVault(SecretUri=${botToken.properties.secretUri})' }
  // Empty means api.telegram.org.
  { name: 'Telegram__ApiBaseUrl', value: telegramApiBaseUrl }
]

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: 'func-syndication-${token}'
  location: location
  tags: union(tags, { 'azd-service-name': 'syndication' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: appSettings
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
  }
  dependsOn: [containers, storageOwner, secretsUser, metricsPublisher]
}

resource storageOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: insights
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.monitoringMetricsPublisher
    )
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource deployerBlobContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(principalId)) {
  name: guid(storage.id, principalId, roles.storageBlobDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageBlobDataContributor
    )
    principalId: principalId
  }
}

@description('Name of the function app.')
output AZURE_FUNCTION_APP_NAME string = app.name

@description('Blob endpoint of the storage account, for `ArticleStorage__serviceUri` when running `syndication config push`.')
output ARTICLE_STORAGE_SERVICE_URI string = storage.properties.primaryEndpoints.blob

@description('Name of the Application Insights resource, for checking that sweeps run.')
output APPLICATIONINSIGHTS_NAME string = insights.name
