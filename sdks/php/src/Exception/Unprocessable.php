<?php

declare(strict_types=1);

namespace SbmCrm\Exception;

/** HTTP 422. */
class Unprocessable extends ApiError
{
}
