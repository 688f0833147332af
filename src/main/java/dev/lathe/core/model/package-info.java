/** The model SPI: a ModelFamily trains an Estimator on an encoded TrainingSet; every front end predicts through Estimator.predict. */
package dev.lathe.core.model;
