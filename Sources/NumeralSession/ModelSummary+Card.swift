import Foundation
import NumeralRecognition
import NumeralUI

extension ModelSummary {
    /// The card's id, `metrics["mnist_test_accuracy"]` and per-epoch curves.
    public init(card: ModelCard) {
        self.init(id: card.id, mnistTestAccuracy: card.metrics["mnist_test_accuracy"],
                  epochs: card.epochs.map {
                      Epoch(epoch: $0.epoch, trainLoss: $0.trainLoss, trainAccuracy: $0.trainAccuracy,
                            validationLoss: $0.validationLoss, validationAccuracy: $0.validationAccuracy)
                  })
    }
}
