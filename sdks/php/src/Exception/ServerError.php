<?php

declare(strict_types=1);

namespace SbmCrm\Exception;

/** HTTP 5xx. */
class ServerError extends ApiError
{
}
