"""The premade estimators (``DNNClassifier``, ``LinearRegressor`` ...), their heads and optimizers."""
