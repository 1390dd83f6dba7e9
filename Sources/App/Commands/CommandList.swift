import Vapor

extension Application {
    func registerCommands() {
        asyncCommands.use(SeedCommand(), as: "seed")
        asyncCommands.use(AdminCommand(), as: "admin")
        asyncCommands.use(ScanDeadlinesCommand(), as: "scan-deadlines")
        asyncCommands.use(DeliverNoticesCommand(), as: "deliver-notices")
        asyncCommands.use(RunExportsCommand(), as: "run-exports")
        asyncCommands.use(SendDeliveriesCommand(), as: "send-deliveries")
        asyncCommands.use(BackupCommand(), as: "backup")
        asyncCommands.use(CheckCommand(), as: "check")
        asyncCommands.use(AuditCommand(), as: "audit")
        asyncCommands.use(RestoreCommand(), as: "restore")
        asyncCommands.use(BenchCommand(), as: "bench")
    }
}
