<?php

declare(strict_types=1);

namespace SbmCrm\Exception;

/** HTTP 401. */
class Unauthorized extends ApiError
{
}
