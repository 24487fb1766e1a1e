/// The per-epoch history as CSV, for spreadsheets and pandas.
public enum TrainingCurves {
    public static func csv(_ history: [EpochRecord]) -> String {
        var s = "epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,learning_rate,seconds\n"
        for e in history {
            s += "\(e.epoch),\(e.trainLoss),\(e.trainAccuracy),\(e.validationLoss),\(e.validationAccuracy),\(e.learningRate),\(e.seconds)\n"
        }
        return s
    }
}
