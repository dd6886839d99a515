"""The ECEI label rules and the pure status function. Imports only generator.core."""
