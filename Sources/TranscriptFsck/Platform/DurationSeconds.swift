extension Duration {
    /// The duration as seconds, for rates and reports.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
