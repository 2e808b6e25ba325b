import logging

APP = "shop"


def configure(stream, level="INFO"):
    """Send the "shop" loggers' records to stream, at level, and nowhere else."""
    logger = logging.getLogger(APP)
    # Removing the old handlers makes a second call replace the setup rather than add to it.
    for old in list(logger.handlers):
        logger.removeHandler(old)
        old.close()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False


def get_logger(component):
    """The logger "shop.<component>"."""
    return logging.getLogger(f"{APP}.{component}")
