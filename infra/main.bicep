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

@description('The secret Telegram sends with every webhook request (1 to 256 of A-Z, a-z, 0-9, _ and -), so that the TelegramWebhook function answers Telegram only. Stored in Key Vault next to the token. Empty: the webhook refuses every request, and editors use `syndication listen` instead.')
@secure()
param telegramWebhookSecret string = ''

@description('Optional self-hosted Telegram Bot API server (scheme, host and port); empty uses api.telegram.org. It must be https: the token travels in every request path, and the app refuses plain http to anything but loopback at start.')
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

@description('Object id of the editor or pipeline that publishes the configuration, granted Storage Blob Data Contributor on the config container only, so that `syndication config push` works and nothing else in storage is theirs. Empty grants nothing.')
param principalId string = ''

@description('Days an overwritten or deleted blob (a configuration, an outbox entry) or a deleted container can be recovered: blob versions, blob soft delete and container soft delete.')
@minValue(1)
@maxValue(365)
param recoveryDays int = 14

@description('Put the data account and the vault behind private endpoints in a new virtual network, and run the app inside it. Off by default: editors then publish the configuration only from inside that network, and it has not been tried on a real deployment yet. The host\'s account stays public (Entra ID only) so that deployments can upload the package.')
param privateNetworking bool = false

@description('Email address that receives the operator alerts (no sweep, dead letters, a channel or feed failing, alerts waiting). Empty creates the alert rules with no one to tell.')
param alertEmail string = ''

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = { 'azd-env-name': environmentName }
var containerNames = ['articles', 'feeds', 'outbox', 'deliveries', 'deadletter', 'config', 'quarantine']
var deploymentContainer = 'app-package'
// Feed batches and channel wake-ups, each with the poison queue the app sets failing messages aside in.
var queueNames = ['feed-batches', 'feed-batches-poison', 'deliveries', 'deliveries-poison']

// Built-in role definition ids: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
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
    // Only Entra ID (the app's identity, operators' accounts) may write or query: no shared workspace keys.
    features: { disableLocalAuth: true }
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

// Two accounts, so that no one holds more than their part needs. The host's account keeps the deployed package and the
// host's own timer locks; the Functions host documents Storage Blob Data Owner for it. The data account keeps articles,
// the outbox and the configuration; the app needs only Contributor there, and editors only the config container.
var storageProperties = {
  minimumTlsVersion: 'TLS1_2'
  supportsHttpsTrafficOnly: true
  allowBlobPublicAccess: false
  allowSharedKeyAccess: false
  defaultToOAuthAuthentication: true
  // Public endpoints, reached only with Entra ID tokens (no keys, no SAS, no anonymous reads): Flex Consumption's
  // outbound addresses are not fixed, so an IP allow-list cannot work; privateNetworking closes the data account.
  publicNetworkAccess: 'Enabled'
}

resource hostStorage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'sthost${token}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: storageProperties
}

resource hostBlobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: hostStorage
  name: 'default'
}

resource packageContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: hostBlobs
  name: deploymentContainer
  properties: { publicAccess: 'None' }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stsynd${token}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: union(storageProperties, { publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled' })
}

// An overwritten configuration, outbox entry or delivery record keeps its earlier version, and a deleted blob or
// container can be undeleted, for recoveryDays.
resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: { enabled: true, days: recoveryDays }
    containerDeleteRetentionPolicy: { enabled: true, days: recoveryDays }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [
  for name in containerNames: {
    parent: blobs
    name: name
    properties: { publicAccess: 'None' }
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [
  for name in queueNames: {
    parent: queueService
    name: name
  }
]

resource configContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: blobs
  name: 'config'
}

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
        {
          // Which webhook updates were handled: Telegram sends an update again for at most a day.
          name: 'expire-handled-updates'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: ['blockBlob']
              prefixMatch: ['config/updates/']
            }
            actions: {
              baseBlob: { delete: { daysAfterModificationGreaterThan: 2 } }
            }
          }
        }
        {
          // Every send rewrites an outbox entry; its earlier versions are kept for recovery, then deleted.
          name: 'expire-old-versions'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'] }
            actions: {
              version: { delete: { daysAfterCreationGreaterThan: recoveryDays } }
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
    softDeleteRetentionInDays: 90
    // A deleted vault or token cannot be purged before its retention ends, by accident or by an attacker.
    enablePurgeProtection: true
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
  }
}

resource botToken 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'telegram-bot-token'
  properties: { value: telegramBotToken }
}

resource webhookSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(telegramWebhookSecret)) {
  parent: vault
  name: 'telegram-webhook-secret'
  properties: { value: telegramWebhookSecret }
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
  { name: 'AzureWebJobsStorage__blobServiceUri', value: hostStorage.properties.primaryEndpoints.blob }
  // Syndication's articles, outbox and config, by the same identity.
  { name: 'ArticleStorage__serviceUri', value: storage.properties.primaryEndpoints.blob }
  { name: 'ArticleStorage__queueServiceUri', value: storage.properties.primaryEndpoints.queue }
  { name: 'ArticleStorage__credential', value: 'managedidentity' }
  { name: 'ArticleStorage__clientId', value: identity.properties.clientId }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
  {
    name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
    value: 'ClientId=${identity.properties.clientId};Authorization=AAD'
  }
  { name: 'PollSchedule', value: pollSchedule }
  { name: 'DeliverSchedule', value: deliverSchedule }
  { name: 'FeedQueue', value: 'feed-batches' }
  { name: 'DeliveryQueue', value: 'deliveries' }
  // The host refuses a request body over 1 MB (413) before the worker is invoked: an update is a few KB, and a large
  // unauthenticated body would otherwise travel whole to the worker before its secret is even looked at.
  { name: 'FUNCTIONS_REQUEST_BODY_SIZE_LIMIT', value: '1048576' }
  { name: 'Telegram__BotToken', value: '@Microsoft.KeyVault(SecretUri=${botToken.properties.secretUri})' }
  {
    name: 'Telegram__WebhookSecret'
    value: empty(telegramWebhookSecret) ? '' : '@Microsoft.KeyVault(SecretUri=${webhookSecret!.properties.secretUri})'
  }
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
    virtualNetworkSubnetId: privateNetworking ? '${network.id}/subnets/app' : null
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
          value: '${hostStorage.properties.primaryEndpoints.blob}${deploymentContainer}'
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
  dependsOn: [
    containers
    queues
    packageContainer
    hostStorageOwner
    dataContributor
    queueContributor
    secretsUser
    metricsPublisher
  ]
}

// Basic-auth publishing (FTP and the scm site's user name and password) is off: deployments go through Entra ID.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: app
  name: 'ftp'
  properties: { allow: false }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: app
  name: 'scm'
  properties: { allow: false }
}

// The Functions host documents Storage Blob Data Owner for its own storage (AzureWebJobsStorage with an identity):
// it holds only the deployed package and the host's timer locks.
resource hostStorageOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, identity.id, roles.storageBlobDataOwner)
  scope: hostStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// The app queues, takes and deletes its work messages: Queue Data Contributor on the data account.
resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageQueueDataContributor
    )
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// The app reads, writes, leases and deletes blobs and creates its containers: Contributor, not Owner.
resource dataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageBlobDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageBlobDataContributor
    )
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

// Whoever publishes the configuration may write the config container and nothing else: not the articles, not the
// outbox, and not the deployed package in the host's account, which runs with the bot token.
resource configPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(principalId)) {
  name: guid(configContainer.id, principalId, roles.storageBlobDataContributor)
  scope: configContainer
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageBlobDataContributor
    )
    principalId: principalId
  }
  dependsOn: [containers]
}

// What was read, written and deleted in both accounts, who read the vault's secret, and the app's own logs, kept in
// Log Analytics next to Application Insights.
var storageLogs = [
  { category: 'StorageRead', enabled: true }
  { category: 'StorageWrite', enabled: true }
  { category: 'StorageDelete', enabled: true }
]

resource dataStorageDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: blobs
  properties: {
    workspaceId: logs.id
    logs: storageLogs
  }
}

resource hostStorageDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: hostBlobs
  properties: {
    workspaceId: logs.id
    logs: storageLogs
  }
}

resource vaultDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
  properties: {
    workspaceId: logs.id
    logs: [{ category: 'AuditEvent', enabled: true }]
  }
}

resource appDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: app
  properties: {
    workspaceId: logs.id
    logs: [{ category: 'FunctionAppLogs', enabled: true }]
  }
}

// privateNetworking: the app's outbound traffic goes through a subnet delegated to Flex Consumption, and the data
// account and the vault are reached through private endpoints whose names resolve in private DNS zones.
resource network 'Microsoft.Network/virtualNetworks@2024-05-01' = if (privateNetworking) {
  name: 'vnet-syndication-${token}'
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: ['10.40.0.0/16'] }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: '10.40.1.0/24'
          delegations: [{ name: 'flex', properties: { serviceName: 'Microsoft.App/environments' } }]
        }
      }
      {
        name: 'endpoints'
        properties: { addressPrefix: '10.40.2.0/24' }
      }
    ]
  }
}

var privateEndpoints = [
  { name: 'blob', zone: 'privatelink.blob.${environment().suffixes.storage}', target: storage.id }
  { name: 'queue', zone: 'privatelink.queue.${environment().suffixes.storage}', target: storage.id }
  { name: 'vault', zone: 'privatelink.vaultcore.azure.net', target: vault.id }
]

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for endpoint in privateEndpoints: if (privateNetworking) {
    name: endpoint.zone
    location: 'global'
    tags: tags
  }
]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (endpoint, i) in privateEndpoints: if (privateNetworking) {
    parent: zones[i]
    name: 'vnet-syndication'
    location: 'global'
    properties: {
      registrationEnabled: false
      virtualNetwork: { id: network.id }
    }
  }
]

resource endpoints 'Microsoft.Network/privateEndpoints@2024-05-01' = [
  for (endpoint, i) in privateEndpoints: if (privateNetworking) {
    name: 'pe-syndication-${endpoint.name}-${token}'
    location: location
    tags: tags
    properties: {
      subnet: { id: '${network.id}/subnets/endpoints' }
      privateLinkServiceConnections: [
        {
          name: endpoint.name
          properties: { privateLinkServiceId: endpoint.target, groupIds: [endpoint.name] }
        }
      ]
    }
  }
]

resource endpointZones 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = [
  for (endpoint, i) in privateEndpoints: if (privateNetworking) {
    parent: endpoints[i]
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [{ name: endpoint.name, properties: { privateDnsZoneId: zones[i].id } }]
    }
  }
]

// Operator alerts: Log Analytics queries over what the app logs and the Syndication meter exports, every 5 minutes.
resource operators 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-syndication-${token}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'syndication'
    enabled: true
    emailReceivers: empty(alertEmail)
      ? []
      : [{ name: 'operators', emailAddress: alertEmail, useCommonAlertSchema: true }]
  }
}

var alertRules = [
  {
    name: 'no-sweep'
    severity: 1
    window: 'PT20M'
    description: 'No feed batch finished in 20 minutes: the app is stopped, failing at start, or every batch fails.'
    query: 'AppTraces | where Message startswith "Sweep done"'
    operator: 'LessThan'
    threshold: 1
  }
  {
    name: 'dead-letter'
    severity: 2
    window: 'PT5M'
    description: 'An alert was given up on and moved to dead letters: `syndication status` names it and why.'
    query: 'AppTraces | where Message has "moved to dead letters"'
    operator: 'GreaterThan'
    threshold: 0
  }
  {
    name: 'channel-failing'
    severity: 2
    window: 'PT15M'
    description: 'A channel failed three or more sends in 15 minutes: the bot may have lost its rights in the chat.'
    query: 'AppTraces | where SeverityLevel >= 2 and (Message startswith "Channel " or Message startswith "Could not send") | extend channel = extract(@"[Cc]hannel (\\S+)", 1, Message) | summarize failures = count() by channel | where failures >= 3'
    operator: 'GreaterThan'
    threshold: 0
  }
  {
    name: 'feed-broken'
    severity: 3
    window: 'PT10M'
    description: 'A feed has failed long enough to be marked broken: the sweep summary names it.'
    query: 'AppTraces | where Message has " broken: "'
    operator: 'GreaterThan'
    threshold: 0
  }
  {
    name: 'poison'
    severity: 2
    window: 'PT10M'
    description: 'A feed batch or channel wake-up failed five times and was set aside in a poison queue: `syndication status` shows it and why.'
    query: 'AppTraces | where Message has "was set aside in"'
    operator: 'GreaterThan'
    threshold: 0
  }
  {
    name: 'alerts-waiting'
    severity: 2
    window: 'PT10M'
    description: 'The oldest alert waiting in the outbox is older than 15 minutes: Telegram is down, flood control holds it, or delivery fails.'
    query: 'AppMetrics | where Name == "syndication.outbox.oldest_pending_age" and Max > 900'
    operator: 'GreaterThan'
    threshold: 0
  }
]

resource alerts 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = [
  for rule in alertRules: {
    name: 'syndication-${rule.name}-${token}'
    location: location
    tags: tags
    properties: {
      displayName: 'Syndication: ${rule.name}'
      description: rule.description
      severity: rule.severity
      enabled: true
      evaluationFrequency: 'PT5M'
      windowSize: rule.window
      scopes: [logs.id]
      criteria: {
        allOf: [
          {
            query: rule.query
            timeAggregation: 'Count'
            operator: rule.operator
            threshold: rule.threshold
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
          }
        ]
      }
      actions: { actionGroups: [operators.id] }
      autoMitigate: true
    }
  }
]

@description('Name of the function app.')
output AZURE_FUNCTION_APP_NAME string = app.name

@description('Blob endpoint of the storage account, for `ArticleStorage__serviceUri` when running `syndication config push`.')
output ARTICLE_STORAGE_SERVICE_URI string = storage.properties.primaryEndpoints.blob

@description('Name of the Log Analytics workspace that holds the app\'s logs, the storage and vault audit logs, and the alert queries.')
output LOG_ANALYTICS_WORKSPACE_NAME string = logs.name

@description('Name of the Application Insights resource, for checking that sweeps run.')
output APPLICATIONINSIGHTS_NAME string = insights.name
