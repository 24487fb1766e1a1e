extension LogFilter {
    public func matches(_ record: PredictionRecord) -> Bool {
        if let from, record.timestamp < from { return false }
        if let to, record.timestamp >= to { return false }
        if let inputType, record.inputType != inputType { return false }
        if let device, record.device != device { return false }
        return true
    }
}
