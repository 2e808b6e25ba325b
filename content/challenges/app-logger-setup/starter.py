import logging


def configure(stream, level="INFO"):
    """Send the "shop" loggers' records to stream, at level, and nowhere else."""
    # TODO: this configures the root logger, once, and ignores later calls.
    logging.basicConfig(stream=stream, level=level, format="%(levelname)s %(name)s: %(message)s")


def get_logger(component):
    """The logger "shop.<component>"."""
    return logging.getLogger(component)
