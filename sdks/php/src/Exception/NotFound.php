<?php

declare(strict_types=1);

namespace SbmCrm\Exception;

/** HTTP 404. */
class NotFound extends ApiError
{
}
