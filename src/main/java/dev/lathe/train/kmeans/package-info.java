/**
 * KMEANS: Lloyd's algorithm with a fixed seed (same data, same model), RANDOM, KMEANS++ or CUSTOM
 * initialization, Euclidean or cosine distance, ML.CENTROIDS on the input scale. Pure Java.
 */
package dev.lathe.train.kmeans;
