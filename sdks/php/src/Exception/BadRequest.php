<?php

declare(strict_types=1);

namespace SbmCrm\Exception;

/** HTTP 400. */
class BadRequest extends ApiError
{
}
